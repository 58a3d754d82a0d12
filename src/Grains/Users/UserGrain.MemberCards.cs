using MeiLing.Grains.Consents;

namespace MeiLing.Grains.Users;

/// <summary>
/// A member card opened in the user's turn (<see cref="IUserCardOpener"/>): a first top-up that passed the gate beside the
/// user's grain could list its card after a cancellation had looked for the user's cards, and the merchant would keep the
/// card, never told to erase it (P3.1, P4.1).
/// </summary>
internal sealed partial class UserGrain
{
    async Task IUserCardOpener.OpenMemberCard(string merchantId, ProcessingRequest request)
    {
        await AuthorizeAsync(request);
        await memberCards.AddAsync(merchantId, UserId);
    }
}
