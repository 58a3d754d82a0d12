-- P3.3: a user's ledger leaves out the legal demands the user may not be told of; this finds a user's withheld
-- demands without reading every withheld one (the review list's index is by time).
CREATE INDEX ix_legal_disclosures_withheld_user ON legal_disclosures (user_id) WHERE NOT user_notified;
