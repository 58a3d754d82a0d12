-- Who at the merchant's till moved the money of a takings row: the staff member's id (stf_…), or 'merchant' for the
-- merchant's own key. A cashier topping up a friend's card for nothing left the till short of the day's report, but the
-- report could not say who: it now counts each staff member's top-ups. Staff ids are the merchant's own staff, not
-- customers; the rows still name no customer. Rows written before this, and money the customer or a partner moved,
-- name no one (NULL). IF NOT EXISTS: the migration may run again on a database that has the column.
ALTER TABLE merchant_takings ADD COLUMN IF NOT EXISTS taken_by varchar(64) NULL;
