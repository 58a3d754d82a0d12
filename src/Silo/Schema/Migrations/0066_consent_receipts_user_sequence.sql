-- A user's consent history, oldest first a page at a time (the access bundle, GET …/consents/history): without an index
-- on (user_id, sequence) the planner walked the whole table in sequence order and filtered by user, so the history of a
-- user with a receipt or two cost 65-95 ms once the table held 600,000 receipts (docs/performance.md, thirty-third round).
CREATE INDEX ix_consent_receipts_user_sequence ON consent_receipts (user_id, sequence);
