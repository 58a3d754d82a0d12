-- Support's list of withdrawal notices whose retries ran out (the console's "Unconfirmed recipients" tab): the failed
-- recipients only, oldest failure first, so the list and its capped count read those rows and no others (the
-- unconfirmed index holds every recipient told and never confirmed, a number that only grows).
CREATE INDEX ix_request_recipients_failed ON request_recipients (failed_at, request_id)
    WHERE failed_at IS NOT NULL AND notified_at IS NULL AND confirmed_at IS NULL;
