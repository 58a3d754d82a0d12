-- P3.1, P4.4: changes to a merchant's webhook endpoint (set, re-pointed, secret rotated, removed) are audit entries with
-- no user; the merchant and operators read them newest first by merchant. This partial index holds only those entries,
-- so reading them never walks the rest of the log.
CREATE INDEX ix_audit_log_webhook_changes ON audit_log (sequence) WHERE action LIKE 'webhook:%';
