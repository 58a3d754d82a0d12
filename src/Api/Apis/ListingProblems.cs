using Microsoft.AspNetCore.Http.HttpResults;

namespace MeiLing.Api.Apis;

/// <summary>The 400s a listing answers for a query it does not take: one wording wherever a list says it.</summary>
public static class ListingProblems
{
    /// <summary>A cursor of another shape than the listing's own (its items' ids).</summary>
    public static ValidationProblem CursorNotGiven() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cursor"] = ["This cursor was not given by this listing."] });

    /// <summary>A support chase list asked without <c>unconfirmedRecipients=true</c>, the only list it serves.</summary>
    public static ValidationProblem OnlyUnconfirmedRecipients() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["unconfirmedRecipients"] = ["Only unconfirmedRecipients=true is listed."] });
}
