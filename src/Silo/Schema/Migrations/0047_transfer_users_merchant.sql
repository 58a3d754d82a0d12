-- Rights that reach every recipient: a merchant that handed its customers over in a business transfer kept
-- what its own systems held of them, so a user's later erasure or correction must reach it too. Each user
-- row names the merchant that handed them over; rows of transfers still under way get it when they settle,
-- and a user's rows are found by user id when a request lists its recipients.
ALTER TABLE transfer_users ADD COLUMN merchant_id varchar(64) NULL;
CREATE INDEX ix_transfer_users_user ON transfer_users (user_id) WHERE settled_at IS NOT NULL AND objected_at IS NULL;
