using System.Collections.Concurrent;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.Webhooks;

namespace MeiLing.Silo.Webhooks;

/// <summary>
/// The sandbox payment partners' and delivery partner's side of data-rights notices: records each notice
/// (event id and type, never its body) and answers that it acted, as a partner's erasure API would.
/// Registered only with the sandbox partners.
/// </summary>
public sealed class SandboxRecipientNotifier : IRecipientNotifier
{
    public static readonly IReadOnlyList<string> Partners = ["wechat-pay", "alipay", Grains.Orders.IOrderGrain.DeliveryPartner];

    /// <summary>What the partners were told, in order.</summary>
    public ConcurrentQueue<SandboxNotice> Received { get; } = new();

    public bool Handles(string recipient, RecipientKind kind) =>
        kind is RecipientKind.PaymentPartner or RecipientKind.DeliveryPartner && Partners.Contains(recipient);

    public Task<bool> NotifyAsync(string recipient, string eventId, string type, string body, CancellationToken cancellationToken)
    {
        Received.Enqueue(new SandboxNotice(recipient, eventId, type));
        return Task.FromResult(true);
    }
}

/// <summary>One notice a sandbox partner received.</summary>
public sealed record SandboxNotice(string Recipient, string EventId, string Type);
