using MeiLing.Grains.Disclosures;

namespace MeiLing.Grains.Webhooks;

/// <summary>
/// How a partner outside the platform (a payment or delivery partner) is told of an event about a user whose
/// data it received: through its own adapter rather than a webhook. Called by the silos' outbox delivery, at
/// least once per event, never inside a grain turn.
/// </summary>
public interface IRecipientNotifier
{
    bool Handles(string recipient, RecipientKind kind);

    /// <summary>Tells the partner; true when its answer also confirms it acted (erased, corrected), false when it only took the notice.</summary>
    Task<bool> NotifyAsync(string recipient, string eventId, string type, string body, CancellationToken cancellationToken);
}
