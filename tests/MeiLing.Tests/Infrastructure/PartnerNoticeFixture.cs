using MeiLing.Grains.Webhooks;
using MeiLing.Silo.Webhooks;
using MeiLing.Tests.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.TestingHost;

namespace MeiLing.Tests.Infrastructure;

/// <summary>
/// A platform whose silo tells the delivery partner of data-rights events at a notice URL, signed with the partner's own
/// secret, as a production silo does (<c>MEILING_PARTNER_NOTICE_URLS</c>), in place of the sandbox's notices; the URL is
/// a receiver the tests answer and read (<see cref="Partner"/>).
/// </summary>
public sealed class PartnerNoticeFixture : PlatformFixture
{
    private WebhookReceiver? _partner;
    private int _refusals;

    internal WebhookReceiver Partner => _partner ?? throw new InvalidOperationException("Not started.");

    protected override int Silos => 1;

    /// <summary>The partner's URL answers the next <paramref name="count"/> notices 503, then 200 again.</summary>
    public void RefuseNext(int count) => Volatile.Write(ref _refusals, count);

    protected override async Task StartCompanionsAsync()
    {
        _partner = await WebhookReceiver.StartAsync(_ => Task.FromResult(Interlocked.Decrement(ref _refusals) >= 0 ? 503 : 200));
        _partner.Trust(TestSiloConfigurator.DeliveryPartner, TestSiloConfigurator.PartnerSecretsByName[TestSiloConfigurator.DeliveryPartner]);
    }

    protected override void ConfigureCluster(TestClusterBuilder builder)
    {
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [PartnerNoticeSiloConfigurator.UrlKey] = Partner.UrlOf(TestSiloConfigurator.DeliveryPartner),
        }));
        builder.AddSiloBuilderConfigurator<PartnerNoticeSiloConfigurator>();
    }

    protected override async Task StopCompanionsAsync()
    {
        if (_partner is not null)
        {
            await _partner.DisposeAsync();
        }
    }
}

/// <summary>Replaces the sandbox's notices with the signed ones, to the delivery partner's receiver.</summary>
public sealed class PartnerNoticeSiloConfigurator : ISiloConfigurator
{
    public const string UrlKey = "PartnerNoticeUrl";

    public void Configure(ISiloBuilder siloBuilder)
    {
        siloBuilder.Services.RemoveAll<IRecipientNotifier>();
        siloBuilder.AddPartnerNotices(new PartnerNoticeEndpoints(new Dictionary<string, PartnerNoticeEndpoint>
        {
            [TestSiloConfigurator.DeliveryPartner] = new(
                new Uri(siloBuilder.Configuration[UrlKey]!), TestSiloConfigurator.PartnerSecretsByName[TestSiloConfigurator.DeliveryPartner]),
        }));
    }
}

[CollectionDefinition(Name)]
public sealed class PartnerNoticeCollection : ICollectionFixture<PartnerNoticeFixture>
{
    public const string Name = "partner-notices";
}
