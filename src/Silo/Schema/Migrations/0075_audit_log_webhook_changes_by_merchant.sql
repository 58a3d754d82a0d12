-- meiling:no-transaction
-- P4.4: a merchant's webhook changes were found by walking every merchant's, newest first, until a hundred of its own
-- turned up: a merchant with fewer walked the platform's whole history at each read. Each entry's detail starts with the
-- merchant's id ({"merchantId":"mer_…",…}); its fourth part between quotes is that id, which a plain split finds in any
-- text, so no entry can fail the index's build. Built beside the inserts, not before them (see SchemaMigrator).
DROP INDEX CONCURRENTLY IF EXISTS ix_audit_log_webhook_changes_by_merchant;
CREATE INDEX CONCURRENTLY ix_audit_log_webhook_changes_by_merchant
    ON audit_log (split_part(detail, '"', 4), sequence) WHERE action LIKE 'webhook:%';
