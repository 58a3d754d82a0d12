-- Issue: rights that reach every recipient. What the user and support see of each recipient of a request is kept
-- beside the request, not only on the outbox row (erased after the retention window): how many times it was
-- tried, when last, when next, and whether its retries ran out (failed) — so a recipient that never answers is
-- shown as failed rather than as a notice still on its way.
ALTER TABLE request_recipients ADD COLUMN attempts integer NOT NULL DEFAULT 0;
ALTER TABLE request_recipients ADD COLUMN last_attempt_at timestamptz NULL;
ALTER TABLE request_recipients ADD COLUMN next_attempt_at timestamptz NULL;
ALTER TABLE request_recipients ADD COLUMN failed_at timestamptz NULL;
UPDATE request_recipients r SET attempts = o.attempts, last_attempt_at = o.last_attempt_at, next_attempt_at = o.next_attempt_at,
       failed_at = CASE WHEN o.status = 'failed' THEN o.last_attempt_at END
  FROM webhook_outbox o WHERE o.event_id = r.event_id;
