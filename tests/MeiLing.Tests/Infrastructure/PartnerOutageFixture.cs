using System.Collections.Concurrent;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Payments;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.TestingHost;

namespace MeiLing.Tests.Infrastructure;

/// <summary>
/// A platform whose silo has no Alipay partner at all (as a production silo has none until one is configured), and a
/// WeChat Pay partner that takes every charge and never confirms it, so a payment stays awaiting its partner until a
/// test confirms it as the partner would (signed with its secret). The partner keeps the refunds it was asked for
/// (<see cref="PartnerOutageSiloConfigurator.RefundsOf"/>), one per refund id as a real partner's idempotent API does.
/// Charges of an order named to <see cref="PartnerOutageSiloConfigurator.NeverAnswerChargesOf"/> are never answered.
/// </summary>
public sealed class PartnerOutageFixture : PlatformFixture
{
    protected override int Silos => 1;

    protected override void ConfigureCluster(TestClusterBuilder builder) => builder.AddSiloBuilderConfigurator<PartnerOutageSiloConfigurator>();
}

/// <summary>Replaces the sandbox partners that <see cref="TestSiloConfigurator"/> registered.</summary>
public sealed class PartnerOutageSiloConfigurator : ISiloConfigurator
{
    /// <summary>How long the order grains wait for a partner here (the platform's default is ten seconds).</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(2);

    private static readonly ConcurrentDictionary<string, ConcurrentDictionary<string, long>> Refunds = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, bool> Unanswered = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, int> ChargeCalls = new(StringComparer.Ordinal);

    /// <summary>The partner answers no charge of <paramref name="orderId"/> until <paramref name="answered"/> is false again.</summary>
    public static void NeverAnswerChargesOf(string orderId, bool answered = false) => Unanswered[orderId] = !answered;

    /// <summary>The refunds the silent partner made of a payment: the amount of each, by refund id.</summary>
    public static IReadOnlyDictionary<string, long> RefundsOf(string paymentId) =>
        Refunds.TryGetValue(paymentId, out var refunds) ? new Dictionary<string, long>(refunds) : new Dictionary<string, long>();

    /// <summary>How many times the silent partner was asked to charge for <paramref name="orderId"/>, answered or not.</summary>
    public static int ChargeCallsOf(string orderId) => ChargeCalls.TryGetValue(orderId, out var calls) ? calls : 0;

    public void Configure(ISiloBuilder siloBuilder)
    {
        siloBuilder.Services.RemoveAll<IPaymentPartner>();
        siloBuilder.Services.AddSingleton<IPaymentPartner>(new SilentPaymentPartner(PaymentMethod.Wechat, "wechat-pay"));
        siloBuilder.Services.Configure<PaymentPartnerSettings>(partners => partners.CallTimeout = CallTimeout);
    }

    private sealed class SilentPaymentPartner(PaymentMethod method, string name) : IPaymentPartner
    {
        public string Name => name;

        public PaymentMethod Method => method;

        public string Region => "CN";

        // A charge never answered ignores its token too, as a careless adapter would: the platform lets go of it all the same.
        public Task<string> ChargeAsync(string paymentId, string orderId, long amountFen, CancellationToken cancellationToken = default)
        {
            ChargeCalls.AddOrUpdate(orderId, 1, (_, calls) => calls + 1);
            return Unanswered.TryGetValue(orderId, out var unanswered) && unanswered
                ? new TaskCompletionSource<string>().Task
                : Task.FromResult($"silent-{name}-charge-{paymentId}");
        }

        public Task<string> RefundAsync(string paymentId, string refundId, string orderId, long amountFen, CancellationToken cancellationToken = default)
        {
            Refunds.GetOrAdd(paymentId, _ => new ConcurrentDictionary<string, long>(StringComparer.Ordinal)).TryAdd(refundId, amountFen);
            return Task.FromResult($"silent-{name}-refund-{refundId}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PartnerOutageCollection : ICollectionFixture<PartnerOutageFixture>
{
    public const string Name = "partner-outage";
}
