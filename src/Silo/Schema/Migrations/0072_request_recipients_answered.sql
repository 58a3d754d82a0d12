-- P3.1, P3.2: when a recipient's endpoint first answered its notice (an error included: the body arrived). A recipient
-- whose id for the notice it can work out (an objection's merchant, a closure's partner) confirms only a notice that
-- reached it: delivered, or answered. Kept here, beside the listing, because the outbox row's last answer is cleared by a
-- re-send and the row itself goes with retention.
ALTER TABLE request_recipients ADD COLUMN answered_at timestamptz NULL;
