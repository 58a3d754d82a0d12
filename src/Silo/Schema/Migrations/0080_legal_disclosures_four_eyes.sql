-- P3.3, P1.7: a demand withheld from its user, or backed by no named kind of document ('other'), waits for a second
-- operator's approval before anything is handed over: one operator alone could otherwise hand a user's data to anyone
-- and hide it from them for good.
ALTER TABLE legal_disclosures ADD COLUMN approval_needed boolean NOT NULL DEFAULT false;
ALTER TABLE legal_disclosures ADD COLUMN approved_by text NULL;
ALTER TABLE legal_disclosures ADD COLUMN approved_at timestamptz NULL;
-- P3.3: a withholding ends. At withheld_until the user is told (released_at), unless an operator other than the one who set
-- the period running (withholding_set_by) renewed it. Demands withheld before this had no end: a year from their record.
ALTER TABLE legal_disclosures ADD COLUMN withheld_until timestamptz NULL;
ALTER TABLE legal_disclosures ADD COLUMN withholding_set_by text NULL;
ALTER TABLE legal_disclosures ADD COLUMN released_at timestamptz NULL;
UPDATE legal_disclosures SET withheld_until = at + interval '365 days', withholding_set_by = recorded_by WHERE NOT user_notified;
CREATE INDEX ix_legal_disclosures_withholding_due ON legal_disclosures (withheld_until) WHERE NOT user_notified;
