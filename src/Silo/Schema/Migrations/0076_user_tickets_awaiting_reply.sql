-- P1.7: support's queue of tickets awaiting its reply. A ticket awaits support from the user's first message support has
-- not answered (null: answered, or the user has not written since); the partial index reads the queue oldest first
-- without sorting every ticket there is. Tickets written to before this migration join the queue at their next message.
ALTER TABLE user_tickets ADD COLUMN awaiting_reply_since timestamptz NULL;
CREATE INDEX ix_user_tickets_awaiting_reply ON user_tickets (awaiting_reply_since, ticket_id) WHERE awaiting_reply_since IS NOT NULL;
