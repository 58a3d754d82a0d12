-- P3.1: a hand-over for an order names it, so a payment or delivery partner's erasure notice can say which orders it
-- received the user's data for (the user id alone tells it nothing it can find). Rows recorded before name none.
ALTER TABLE user_disclosures ADD COLUMN order_id varchar(64) NULL;
