using MeiLing.Grains.Consents;

namespace MeiLing.Grains.Users;

/// <summary>
/// Opens a member card for this user in the user's own turn (a role of <see cref="IUserGrain"/>), keyed by user id: the
/// consent gate of the first top-up and the card's index row, which tells an erasure that the merchant keeps a card for
/// the user. Nothing the user's grain does (an account cancellation closing it) falls between the gate's answer and that
/// row: a cancellation filed meanwhile waits for it, lists the merchant among those it tells, and settles the card.
/// </summary>
[Alias("meiling.user.card-opener")]
public interface IUserCardOpener : IGrainWithStringKey
{
    /// <summary>
    /// Passes <paramref name="request"/> through the gate, as <see cref="IUserConsentGate.AuthorizeProcessing"/> does, then
    /// lists <paramref name="merchantId"/>'s card of this user; a card listed already stays listed once.
    /// </summary>
    [Alias("open-member-card")]
    Task OpenMemberCard(string merchantId, ProcessingRequest request);
}
