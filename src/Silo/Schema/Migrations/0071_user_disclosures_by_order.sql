-- P4.3, P3.1: a closing merchant asks, for each order it erases, which partners the user's ledger names for that order
-- (ErasedOrderNotices); the user's export finds the closure notices by the orders their ledger names.
CREATE INDEX ix_user_disclosures_user_order ON user_disclosures (user_id, order_id) WHERE order_id IS NOT NULL;
