-- P3.1: the endpoint URL that took a delivery, so that a retry by hand sends a delivered event again only there. Re-pointing a
-- merchant's endpoint (an operator may) and retrying its delivered events would otherwise hand every user's notice it ever
-- took to whoever the new URL names. Rows delivered before this column have none and are retried as before (they go with
-- the retention sweep within MEILING_WEBHOOK_RETENTION_DAYS).
ALTER TABLE webhook_outbox ADD COLUMN delivered_url varchar(2048) NULL;
