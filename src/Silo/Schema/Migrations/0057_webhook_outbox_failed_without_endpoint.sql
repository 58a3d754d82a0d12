-- A delivery to a merchant that removed its endpoint waited for another without end, pending, its body (naming the
-- user) beyond the retention sweep's reach. Now it waits as long as its retries would have lasted, then fails with a
-- reason (failed_at, failure_reason 'no-endpoint'), and the sweep erases it after the retention window counted from then.
ALTER TABLE webhook_outbox ADD COLUMN failed_at timestamptz NULL;
ALTER TABLE webhook_outbox ADD COLUMN failure_reason varchar(32) NULL;
DROP INDEX ix_webhook_outbox_finished;
CREATE INDEX ix_webhook_outbox_finished ON webhook_outbox (coalesce(delivered_at, failed_at, last_attempt_at)) WHERE status <> 'pending';
