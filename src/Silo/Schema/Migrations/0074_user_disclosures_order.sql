-- P3.1, P4.3: support's list of unconfirmed closure notices names the user of each erased order, found by the order alone.
CREATE INDEX ix_user_disclosures_order ON user_disclosures (order_id) WHERE order_id IS NOT NULL;
