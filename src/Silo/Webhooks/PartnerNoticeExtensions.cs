using MeiLing.Grains.Webhooks;

namespace MeiLing.Silo.Webhooks;

/// <summary>Partners told of data-rights events at the URLs their operator configured (<see cref="SignedPartnerNotifier"/>).</summary>
public static class PartnerNoticeExtensions
{
    /// <summary>
    /// Registers the signed notices to <paramref name="endpoints"/>. Registered before the sandbox partners, it is the one
    /// the outbox uses for a partner both handle.
    /// </summary>
    public static ISiloBuilder AddPartnerNotices(this ISiloBuilder silo, PartnerNoticeEndpoints endpoints)
    {
        // No redirects and no proxy: the operator named the URL, and a partner's notice goes to it alone. The outbox
        // bounds each attempt's time and retries on its own schedule.
        silo.Services.AddHttpClient(SignedPartnerNotifier.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false })
            .RemoveAllLoggers();
        silo.Services.AddSingleton(endpoints);
        silo.Services.AddSingleton<IRecipientNotifier, SignedPartnerNotifier>();
        return silo;
    }
}
