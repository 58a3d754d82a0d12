-- P3.1, P3.2: the orders a transfer handed over for each user, recorded before they move. The merchant that handed them
-- over keeps its copies under these ids, and a later erasure or correction of the user names them to it: the order
-- index names the successor by then. Rows settled before have none, and their merchant is told without order ids.
ALTER TABLE transfer_users ADD COLUMN handed_over_order_ids text[] NULL;
