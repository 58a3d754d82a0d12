using System.Net;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Payments;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace MeiLing.Silo.Payments;

/// <summary>
/// Registers sandbox WeChat Pay and Alipay partners, only where the configuration asks for them (the
/// one-command run, the tests): a production silo has no partner that confirms payments by itself.
/// </summary>
public static class SandboxPaymentPartners
{
    public static readonly string[] Names = ["wechat-pay", "alipay"];

    /// <param name="silo">The silo to register them in.</param>
    /// <param name="callback">The API's base URL, where confirmations go.</param>
    /// <param name="secrets">The partners' signing secrets, by name.</param>
    /// <param name="primaryHandler">What carries the confirmations (tests: the in-memory API); the network when null.</param>
    public static ISiloBuilder AddSandboxPaymentPartners(
        this ISiloBuilder silo, Uri callback, IReadOnlyDictionary<string, string> secrets, Func<HttpMessageHandler>? primaryHandler = null)
    {
        var http = silo.Services.AddHttpClient(SandboxPaymentPartner.HttpClientName, client => client.BaseAddress = callback);
        if (primaryHandler is not null)
        {
            http.ConfigurePrimaryHttpMessageHandler(primaryHandler);
        }

        http.AddStandardResilienceHandler(options =>
        {
            options.Retry.MaxRetryAttempts = 5;
            options.Retry.Delay = TimeSpan.FromMilliseconds(200);
            options.Retry.BackoffType = DelayBackoffType.Exponential;
            // Besides the usual transient answers: the API may not know the payment yet if its write is still on its way.
            options.Retry.ShouldHandle = arguments => ValueTask.FromResult(
                arguments.Outcome.Exception is not null
                || arguments.Outcome.Result is { StatusCode: HttpStatusCode.NotFound or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests }
                || arguments.Outcome.Result is { StatusCode: >= HttpStatusCode.InternalServerError });
        });

        silo.Services.AddSingleton<IPaymentPartner>(services => Partner(services, PaymentMethod.Wechat, "wechat-pay", secrets));
        silo.Services.AddSingleton<IPaymentPartner>(services => Partner(services, PaymentMethod.Alipay, "alipay", secrets));

        // The sandbox partners (and the sandbox delivery partner) also take data-rights notices, and record them.
        silo.Services.AddSingleton<Webhooks.SandboxRecipientNotifier>();
        silo.Services.AddSingleton<MeiLing.Grains.Webhooks.IRecipientNotifier>(services => services.GetRequiredService<Webhooks.SandboxRecipientNotifier>());
        return silo;
    }

    private static SandboxPaymentPartner Partner(IServiceProvider services, PaymentMethod method, string name, IReadOnlyDictionary<string, string> secrets) =>
        new(method, name, secrets[name], services.GetRequiredService<IHttpClientFactory>(), services.GetRequiredService<ILogger<SandboxPaymentPartner>>());
}
