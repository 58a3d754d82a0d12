using System.Text.Json.Serialization;
using MeiLing.Grains.Activity;
using MeiLing.Grains.Consents;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Identity;
using MeiLing.Grains.MemberCards;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.Orders;
using MeiLing.Grains.Payments;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Privacy;
using MeiLing.Grains.Privacy.Encryption;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using MeiLing.Grains.Retention;
using MeiLing.Grains.Users;
using MeiLing.ServiceDefaults;
using MeiLing.Silo.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Orleans.Configuration;
using Orleans.Serialization;

namespace MeiLing.Silo.Extensions;

/// <summary>
/// The platform's grains and what they stand on: durable grain storage, reminders, the tables of
/// users' data, and the retention sweep. Shared by the silo host and the test cluster.
/// </summary>
public static class GrainStorageExtensions
{
    public const string Invariant = PostgresConnections.AdoNetInvariant;

    /// <summary>The ADO.NET provider itself, beneath the sealing and the group commit.</summary>
    public const string PlainStorage = "meiling-postgres";

    public static ISiloBuilder AddMeiLingGrains(this ISiloBuilder silo, string connectionString)
    {
        connectionString = PostgresConnections.WithStatementReuse(connectionString);
        // Orders leave 30 s after they fall idle, which needs the collector's shorter quantum wherever they are hosted.
        silo.UseLeanActivationFootprint();
        // Plain JSON with enums by name: rows stay readable with convert_from(payload, 'UTF8'),
        // and renaming a state class does not strand its rows (no $type names).
        silo.UseSystemTextJsonGrainStorageSerializer();
        silo.Services.Configure<SystemTextJsonGrainStorageSerializerOptions>(options =>
            options.JsonSerializerOptions.Converters.Add(new JsonStringEnumConverter()));

        silo.AddAdoNetGrainStorage(PlainStorage, options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
            // Nothing of a cleared grain may stay behind (P4.1): clearing deletes the row.
            options.DeleteStateOnClear = true;
        });
        // The storage grains use: personal data sealed under its owner's key on its way to PostgreSQL.
        // Underneath, the states written at the same moment share one commit (the ADO.NET provider reads and clears).
        silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Default, (services, _) => new SealingGrainStorage(
            new GroupCommittedGrainStorage(
                services.GetRequiredKeyedService<IGrainStorage>(PlainStorage),
                PlainStorage,
                services.GetRequiredService<IOptionsMonitor<AdoNetGrainStorageOptions>>().Get(PlainStorage),
                services.GetRequiredService<GroupCommit>(),
                services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId),
            services.GetRequiredService<IGrainStorageSerializer>(),
            services.GetRequiredService<UserDataKeys>(),
            services.GetRequiredService<ILogger<SealingGrainStorage>>()));
        silo.Services.AddSingleton(services => MasterKeyRing.Parse(services.GetRequiredService<IOptions<PrivacySettings>>().Value.MasterKeys));
        silo.Services.AddSingleton<UserKeyStore>();
        silo.Services.AddSingleton<UserDataKeys>();
        silo.Services.AddSingleton<OwnedStateIndex>();

        silo.UseAdoNetReminderService(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });

        silo.Services.TryAddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.AddSingleton<PhoneHasher>();
        // The host picks the SMS sender (MEILING_SMS_SENDER); without one, nothing is sent.
        silo.Services.TryAddSingleton<ISmsSender, NoSmsSender>();
        silo.AddIncomingGrainCallFilter<SessionCallFilter>();
        // Storage and database failures leave a grain call as the platform's own refusals, never as Npgsql's types.
        silo.AddIncomingGrainCallFilter<InfrastructureFailureFilter>();
        silo.Services.AddSingleton<GroupCommit>();
        silo.Services.AddSiloFacts();
        silo.Services.AddSingleton<ActivatedUserViews>();
        silo.Services.AddSingleton<IActivatedUserViews>(services => services.GetRequiredService<ActivatedUserViews>());
        silo.Services.AddSingleton<ConsentReceiptStore>();
        silo.Services.AddSingleton<LocationSampleStore>();
        silo.Services.AddSingleton<UserTicketStore>();
        silo.Services.AddSingleton<ActivityLogStore>();
        silo.Services.AddSingleton<DisclosureLedgerStore>();
        silo.Services.AddSingleton<OrderCustomerRefs>();
        silo.Services.AddSingleton<OrderIndexStore>();
        silo.Services.AddSingleton<OrderPlacement>();
        silo.Services.AddSingleton<NewOrders>();
        silo.Services.AddSingleton<PaymentPartners>();
        silo.Services.AddSingleton<MemberCardIndexStore>();
        silo.Services.AddSingleton<MemberCardSettlements>();
        silo.Services.AddSingleton<Grains.Catalogue.StockMovementStore>();
        silo.Services.AddSingleton<Grains.Catalogue.PriceChangeStore>();
        silo.Services.AddSingleton<Grains.Reports.TakingsLedger>();
        silo.Services.AddSingleton<DataRightsRequestIndexStore>();
        silo.Services.AddSingleton<ErasureSteps>();
        silo.Services.AddSingleton<Grains.Webhooks.WebhookOutboxStore>();
        silo.Services.AddSingleton<Grains.Webhooks.WebhookOutbox>();
        silo.Services.AddSingleton<Grains.Webhooks.WebhookSecrets>();
        silo.Services.AddSingleton<Grains.Webhooks.RequestRecipientNotices>();
        silo.Services.AddSingleton<Grains.Webhooks.ConsentWithdrawalNotices>();
        silo.Services.AddSingleton<Grains.Merchants.ErasedOrderNotices>();
        silo.Services.AddSingleton<Grains.Transfers.TransferUsersStore>();
        silo.Services.AddSingleton<Grains.Legal.LegalDisclosureStore>();
        // P8.1: the chain's walk reads the log itself, a page at a time, never on the workers that append.
        silo.Services.AddSingleton<Grains.Audit.IAuditChainStore, Grains.Audit.AuditChainStore>();
        silo.Services.AddOptions<Grains.Audit.AuditSettings>()
            .Validate(audit => audit.IsValid, $"The audit chain's page size must be 1-{Grains.Audit.AuditSettings.MaxVerifyPageSize}: a page is one short query.")
            .ValidateOnStart();
        silo.Services.AddOptions<Grains.Tickets.SupportQueueSettings>()
            .Validate(queue => queue.IsValid, "A ticket's retry of its place in support's queue must be every 1 second to 1 hour.")
            .ValidateOnStart();
        // Every silo delivers the outbox: the tests' silos too.
        Webhooks.WebhookDeliveryExtensions.AddWebhookDelivery(silo);

        silo.AddStartupTask(async (services, _) =>
            await services.GetRequiredService<IGrainFactory>().GetGrain<IRetentionGrain>(IRetentionGrain.PlatformKey).EnsureScheduled());
        // P1.7, P8.1: the audit log's chain is walked once a day, and a break logged as critical.
        silo.AddStartupTask(async (services, _) =>
            await services.GetRequiredService<IGrainFactory>().GetGrain<Grains.Audit.IAuditChainWatchGrain>(Grains.Audit.IAuditChainWatchGrain.PlatformKey).EnsureScheduled());
        return silo;
    }
}
