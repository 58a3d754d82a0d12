-- P1.1, P1.10: consent receipts, one row per decision, appended and never rewritten. A user's current
-- consents are the latest receipt per purpose, so a consent change is this one insert: the user's
-- grain state no longer grows with its history, and no receipt can exist without its effect or the
-- other way round.
--
-- A receipt names the user only by the random user id (who the user is stays sealed in their grain
-- state). When the account is cancelled (P4.1) each row's user id becomes a pseudonym of its own, so
-- the decisions are kept as proof and lead to no one; that is the only change a row may see.
CREATE TABLE consent_receipts
(
    sequence          bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    receipt_id        varchar(64)  NOT NULL UNIQUE,
    user_id           varchar(64)  NOT NULL,
    purpose           varchar(32)  NOT NULL,
    granted           boolean      NOT NULL,
    policy_version    varchar(64)  NOT NULL,
    given_at          timestamptz  NOT NULL,
    collection_method varchar(64)  NOT NULL,
    jurisdiction      varchar(32)  NOT NULL
);
CREATE INDEX ix_consent_receipts_user ON consent_receipts (user_id, purpose, sequence DESC);

CREATE FUNCTION consent_receipts_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'consent receipts are never deleted';
    END IF;
    IF (NEW.receipt_id, NEW.purpose, NEW.granted, NEW.policy_version, NEW.given_at, NEW.collection_method, NEW.jurisdiction, NEW.sequence)
       IS DISTINCT FROM
       (OLD.receipt_id, OLD.purpose, OLD.granted, OLD.policy_version, OLD.given_at, OLD.collection_method, OLD.jurisdiction, OLD.sequence)
       OR NEW.user_id NOT LIKE 'anon\_%' THEN
        RAISE EXCEPTION 'a consent receipt is never rewritten; only its user id may become a pseudonym';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER consent_receipts_append_only
    BEFORE UPDATE OR DELETE ON consent_receipts
    FOR EACH ROW EXECUTE FUNCTION consent_receipts_append_only();
