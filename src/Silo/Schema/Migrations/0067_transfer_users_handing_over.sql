-- P3.1, P3.2: a merchant has handed a user over from the moment the user's orders are recorded as handed over, not only
-- once the user is settled. Between the two the orders already sit under the successor in the order index, and a request
-- filed then told the merchant none of them. The index follows the wider condition its look-up now reads.
DROP INDEX IF EXISTS ix_transfer_users_user;
CREATE INDEX ix_transfer_users_user ON transfer_users (user_id)
    WHERE objected_at IS NULL AND (settled_at IS NOT NULL OR handed_over_order_ids IS NOT NULL);
