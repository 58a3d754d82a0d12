-- P3.3: a legal demand is recorded before its hand-over and finished after it; a retried demand (same user,
-- authority and document reference, hence the same id) finds its record and hands nothing over twice.
ALTER TABLE legal_disclosures ADD COLUMN completed_at timestamptz NULL;
UPDATE legal_disclosures SET completed_at = at WHERE completed_at IS NULL;
