-- A.2: a listing row no longer holds its user id in clear beside the order's total. It names the user by
-- a pseudonym (an HMAC of the user id under a key derived from the user's data key, gone with that key at
-- cancellation) to find and count the user's orders by, and by the user id sealed under the platform's
-- order-index key for the merchant's listing. The pseudonym needs the user's key, which SQL does not have:
-- rows written before this keep user_id until the silo rewrites them (on the user's next order look-up, or
-- the backfill every silo runs after start); user_id stays NULL for every row written from now on.
ALTER TABLE order_index ADD COLUMN user_ref varchar(80) NULL, ADD COLUMN sealed_user_id bytea NULL;
CREATE INDEX ix_order_index_user_ref ON order_index (user_ref, created_at DESC, order_id DESC) WHERE user_ref IS NOT NULL;
