-- P4.1, P3.2: a cancellation rewrites the user's transfer_users rows under an id that names no one, without the orders
-- handed over, which joined the anonymized orders back to the person (TransferUsersStore.PseudonymizeAsync). The users
-- cancelled before that release still had theirs: the same rewrite for every user whose cancellation completed.
UPDATE transfer_users
   SET user_id = 'anon_' || md5(transfer_id || user_id || gen_random_uuid()::text), handed_over_order_ids = NULL,
       notified_at = coalesce(notified_at, now()), settled_at = coalesce(settled_at, now())
 WHERE user_id IN (SELECT user_id FROM data_rights_requests WHERE type = 'Cancellation' AND status = 'Completed');
