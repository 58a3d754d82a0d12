-- The activity log (P1.3) keeps a user's requests of one flush as one sealed row: a JSON array of entries, each
-- request that repeats another within the flush counted on it. Rows written before hold one entry each.
ALTER TABLE user_activity ADD COLUMN holds_batch boolean NOT NULL DEFAULT false;
