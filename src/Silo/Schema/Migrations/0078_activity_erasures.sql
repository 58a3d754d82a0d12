-- P1.3, P4.1: a deletion of a user's activity erases what is stored; entries recorded before it and still on their way from
-- an API host (its batch, its overflow held up to a minute, the filing's own request) are dropped as they arrive: the mark
-- says up to when. A mark is kept a day, far beyond any entry's way to the table.
CREATE TABLE activity_erasures (
    user_id text PRIMARY KEY,
    erased_through timestamptz NOT NULL
);
