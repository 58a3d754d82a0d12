-- The links from a user to their support tickets (issue 12), kept out of the user's grain state: one row per ticket,
-- found and erased by user id. Links an earlier version kept in the user's state move here when the one-off import
-- (0037) reaches the user.
CREATE TABLE user_tickets
(
    user_id   varchar(64)  NOT NULL,
    ticket_id varchar(64)  NOT NULL,
    opened_at timestamptz  NOT NULL,
    PRIMARY KEY (user_id, ticket_id)
);
