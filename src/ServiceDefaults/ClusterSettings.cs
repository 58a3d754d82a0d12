using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace MeiLing.ServiceDefaults;

/// <summary>
/// What every process of the platform needs to find the cluster: the PostgreSQL database that holds
/// membership and state, and the cluster's ids. Each property is read from the environment variable
/// named in its <see cref="ConfigurationKeyNameAttribute"/> with the <c>MEILING_</c> prefix.
/// </summary>
public class ClusterSettings : IValidatableObject
{
    /// <summary>Npgsql connection string (<c>MEILING_POSTGRES</c>).</summary>
    [ConfigurationKeyName("POSTGRES")]
    [Required(ErrorMessage = "MEILING_POSTGRES is required: an Npgsql connection string such as Host=127.0.0.1;Port=55432;Username=postgres;Database=meiling.")]
    public string Postgres { get; set; } = "";

    /// <summary>Orleans cluster id; silos and clients with the same id form one cluster (<c>MEILING_CLUSTER_ID</c>).</summary>
    [ConfigurationKeyName("CLUSTER_ID")]
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "MEILING_CLUSTER_ID must be 1-64 letters, digits, '.', '_' or '-'.")]
    public string ClusterId { get; set; } = "meiling";

    /// <summary>Orleans service id; grain state and reminders are stored under it (<c>MEILING_SERVICE_ID</c>).</summary>
    [ConfigurationKeyName("SERVICE_ID")]
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "MEILING_SERVICE_ID must be 1-64 letters, digits, '.', '_' or '-'.")]
    public string ServiceId { get; set; } = "meiling";

    /// <summary>
    /// Where the API runs (<c>MEILING_TOPOLOGY</c>): <c>separate</c>, its own process calling the silos through
    /// their gateways; or <c>cohosted</c>, inside each silo process, calling its grains through that silo.
    /// </summary>
    [ConfigurationKeyName("TOPOLOGY")]
    [RegularExpression("^(separate|cohosted)$", ErrorMessage = "MEILING_TOPOLOGY must be separate or cohosted.")]
    public string Topology { get; set; } = Topologies.Separate;

    /// <summary>Whether the API is hosted in the silo process.</summary>
    public bool IsCohosted => Topology == Topologies.Cohosted;

    /// <summary>
    /// Each payment partner's signing secret, <c>name=whsec_base64,…</c> (<c>MEILING_PAYMENT_PARTNER_SECRETS</c>):
    /// the API checks partners' payment confirmations with it; a sandbox partner signs with it.
    /// </summary>
    [ConfigurationKeyName("PAYMENT_PARTNER_SECRETS")]
    public string? PaymentPartnerSecretsText { get; set; }

    /// <summary>
    /// Whether webhooks may go to loopback endpoints, a merchant's local test receiver (<c>MEILING_WEBHOOK_ALLOW_LOOPBACK</c>):
    /// API hosts accept such a URL and silos deliver to it; private addresses never. Unset, only in the Development
    /// environment (<see cref="AllowsLoopbackWebhooks"/>); refused at start outside Development and Sandbox, where loopback is the
    /// platform's own services (the silo's dashboard, health and gateway ports, PostgreSQL).
    /// </summary>
    [ConfigurationKeyName("WEBHOOK_ALLOW_LOOPBACK")]
    public bool? WebhookAllowLoopback { get; set; }

    /// <summary>
    /// Whether webhooks may go to loopback in <paramref name="environment"/>: as set, else only in Development, so
    /// that a deployment that forgot the setting does not let a merchant's URL reach the platform's own ports (SSRF).
    /// </summary>
    public bool AllowsLoopbackWebhooks(IHostEnvironment environment) => WebhookAllowLoopback ?? environment.IsDevelopment();

    /// <summary>The partners' secrets by partner name; empty when none is configured.</summary>
    public IReadOnlyDictionary<string, string> PartnerSecrets =>
        PaymentPartnerSecrets.TryParse(PaymentPartnerSecretsText, out var secrets) ? secrets : new Dictionary<string, string>();

    public virtual IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!PaymentPartnerSecrets.TryParse(PaymentPartnerSecretsText, out _))
        {
            yield return new ValidationResult(
                "MEILING_PAYMENT_PARTNER_SECRETS must be name=whsec_<base64 of at least 24 bytes> pairs separated by commas, each partner once.",
                [nameof(PaymentPartnerSecretsText)]);
        }

        if (string.IsNullOrWhiteSpace(Postgres))
        {
            yield break;
        }

        string? problem = null;
        try
        {
            var parsed = new NpgsqlConnectionStringBuilder(Postgres);
            if (string.IsNullOrWhiteSpace(parsed.Host))
            {
                problem = "MEILING_POSTGRES has no Host.";
            }
        }
        catch (ArgumentException)
        {
            problem = "MEILING_POSTGRES is not a valid Npgsql connection string.";
        }

        if (problem is not null)
        {
            yield return new ValidationResult(problem, [nameof(Postgres)]);
        }
    }
}
