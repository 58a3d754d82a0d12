using Npgsql;

namespace MeiLing.Conventional;

/// <summary>
/// The service's own tables, prefixed conv_ so they never meet the platform's in the shared database.
/// Created at start, idempotently.
/// </summary>
public sealed class ConventionalSchema(NpgsqlDataSource database)
{
    private const string Ddl = """
        CREATE TABLE IF NOT EXISTS conv_consents (
            user_id        text        NOT NULL,
            purpose        text        NOT NULL,
            granted        boolean     NOT NULL,
            policy_version text        NOT NULL,
            changed_at     timestamptz NOT NULL,
            PRIMARY KEY (user_id, purpose));
        CREATE TABLE IF NOT EXISTS conv_consent_receipts (
            receipt_id     text        PRIMARY KEY,
            user_id        text        NOT NULL,
            purpose        text        NOT NULL,
            granted        boolean     NOT NULL,
            policy_version text        NOT NULL,
            at             timestamptz NOT NULL);
        CREATE INDEX IF NOT EXISTS conv_consent_receipts_user ON conv_consent_receipts (user_id, at);
        CREATE TABLE IF NOT EXISTS conv_merchants (
            merchant_id    text        PRIMARY KEY,
            key_hash       bytea       NOT NULL);
        CREATE TABLE IF NOT EXISTS conv_products (
            merchant_id    text        NOT NULL REFERENCES conv_merchants,
            sku            text        NOT NULL,
            price_fen      bigint      NOT NULL,
            PRIMARY KEY (merchant_id, sku));
        CREATE TABLE IF NOT EXISTS conv_orders (
            order_id       text        PRIMARY KEY,
            merchant_id    text        NOT NULL,
            user_id        text        NOT NULL,
            items          jsonb       NOT NULL,
            total_fen      bigint      NOT NULL,
            status         text        NOT NULL,
            created_at     timestamptz NOT NULL);
        CREATE INDEX IF NOT EXISTS conv_orders_merchant ON conv_orders (merchant_id, created_at DESC, order_id DESC);
        """;

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(Ddl);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
