using MeiLing.Grains.Orders;
using MeiLing.Grains.Payments;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.TestingHost;

namespace MeiLing.Tests.Infrastructure;

/// <summary>
/// A platform whose silo has no Alipay partner at all (as a production silo has none until one is configured), and a
/// WeChat Pay partner that takes every charge and never confirms it, so a payment stays awaiting its partner.
/// </summary>
public sealed class PartnerOutageFixture : PlatformFixture
{
    protected override int Silos => 1;

    protected override void ConfigureCluster(TestClusterBuilder builder) => builder.AddSiloBuilderConfigurator<PartnerOutageSiloConfigurator>();
}

/// <summary>Replaces the sandbox partners that <see cref="TestSiloConfigurator"/> registered.</summary>
public sealed class PartnerOutageSiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        siloBuilder.Services.RemoveAll<IPaymentPartner>();
        siloBuilder.Services.AddSingleton<IPaymentPartner>(new SilentPaymentPartner(PaymentMethod.Wechat, "wechat-pay"));
    }

    private sealed class SilentPaymentPartner(PaymentMethod method, string name) : IPaymentPartner
    {
        public string Name => name;

        public PaymentMethod Method => method;

        public string Region => "CN";

        public Task<string> ChargeAsync(string paymentId, string orderId, long amountFen, CancellationToken cancellationToken = default) =>
            Task.FromResult($"silent-{name}-charge-{paymentId}");

        public Task<string> RefundAsync(string paymentId, string refundId, string orderId, long amountFen, CancellationToken cancellationToken = default) =>
            Task.FromResult($"silent-{name}-refund-{refundId}");
    }
}

[CollectionDefinition(Name)]
public sealed class PartnerOutageCollection : ICollectionFixture<PartnerOutageFixture>
{
    public const string Name = "partner-outage";
}
