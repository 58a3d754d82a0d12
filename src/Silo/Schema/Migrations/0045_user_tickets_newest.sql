-- The support console shows a user's newest tickets a page at a time (not every ticket on each view): the index reads
-- a page of one user's links newest first without sorting them all.
CREATE INDEX ix_user_tickets_newest ON user_tickets (user_id, opened_at DESC, ticket_id DESC);
