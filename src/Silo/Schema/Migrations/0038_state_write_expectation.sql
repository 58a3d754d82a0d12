-- A grain state write is one statement of a group commit's unit, and may share the unit with rows that belong with
-- it (an order's listing and line facts). When its version check finds no row to write, the whole unit must fail,
-- so that none of those rows lands without the state: the statement ends in this check, which raises then.
CREATE OR REPLACE FUNCTION meiling_expect_state_written(written bigint) RETURNS void
    LANGUAGE plpgsql AS
$$
BEGIN
    IF written <> 1 THEN
        RAISE EXCEPTION 'grain state version conflict' USING ERRCODE = 'MLV01';
    END IF;
END
$$;
