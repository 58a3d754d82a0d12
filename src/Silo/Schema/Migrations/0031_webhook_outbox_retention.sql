-- Finished deliveries are erased after MEILING_WEBHOOK_RETENTION_DAYS (their bodies name users): the sweep
-- finds them by status and time without reading the whole outbox.
CREATE INDEX ix_webhook_outbox_finished ON webhook_outbox (coalesce(delivered_at, last_attempt_at)) WHERE status <> 'pending';
