using MeiLing.Api.Problems;
using MeiLing.Api.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace MeiLing.Api.Consoles;

/// <summary>
/// A page's form is posted only from the API's own pages (<see cref="UserSessions.FromThisOrigin"/>). The antiforgery
/// token alone does not stop a sibling host of the same site (a merchant's H5 page): it may plant a site-wide antiforgery
/// cookie whose token it knows and post a sign-in form carrying it, signing the visitor in to the planter's account (sign-in
/// CSRF; P4.4, P8.1). 403 <c>cross-origin-form</c> otherwise; nothing is bound, read or changed.
/// </summary>
public sealed class SameOriginFormPosts : IAsyncPageFilter
{
    public const string Code = "cross-origin-form";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var request = context.HttpContext.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || UserSessions.FromThisOrigin(request))
        {
            await next();
            return;
        }

        await context.HttpContext.WriteProblemAsync(StatusCodes.Status403Forbidden, ProblemTypes.For(Code), "Form from another origin",
            "A form of this page is accepted only from the page itself.");
        context.Result = new EmptyResult();
    }
}
