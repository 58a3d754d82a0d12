-- meiling:no-transaction
-- P4.4 (*reviewer*): a merchant's listing of its failed (or pending) deliveries walked every row of the merchant's outbox
-- to find the few of that status, at the listing's whole rate: the status now leads the way to them. Built beside the
-- outbox's inserts (a consent withdrawal's notices, request notices, delivery leases), not before them (see SchemaMigrator).
DROP INDEX CONCURRENTLY IF EXISTS ix_webhook_outbox_recipient_status;
CREATE INDEX CONCURRENTLY ix_webhook_outbox_recipient_status ON webhook_outbox (recipient, status, created_at, delivery_id);
