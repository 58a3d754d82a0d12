-- P8.1: the audit log is append-only, and a removed entry is detected (issue 5). A trigger refuses
-- every UPDATE, DELETE and TRUNCATE: no erasure touches the log (it names users only by their random
-- id, whose identity is sealed under a key shredded at cancellation).
--
-- The hash chain shows a changed entry and a gap, but not the newest entries cut off: the rest still
-- chains. So the head (sequence and hash of the newest entry) is kept beside the log, moved in the same
-- transaction as each insert and only ever forward; the verification compares the chain's end with it.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP;
END $$;

CREATE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- One row; sequence 0 with the chain's genesis value while the log is empty.
CREATE TABLE audit_log_head
(
    singleton boolean     NOT NULL DEFAULT true PRIMARY KEY CHECK (singleton),
    sequence  bigint      NOT NULL,
    hash      varchar(64) NOT NULL
);

INSERT INTO audit_log_head (sequence, hash)
SELECT coalesce(max(sequence), 0),
       coalesce((SELECT hash FROM audit_log ORDER BY sequence DESC LIMIT 1), 'meiling-audit-genesis')
  FROM audit_log;

CREATE FUNCTION audit_log_advance_head() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE audit_log_head SET sequence = NEW.sequence, hash = NEW.hash WHERE sequence < NEW.sequence;
    RETURN NULL;
END $$;

CREATE TRIGGER audit_log_advance_head
    AFTER INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_advance_head();

-- A head moved back would hide cut-off entries again; a head removed is itself reported by the verification.
CREATE FUNCTION audit_log_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.sequence <= OLD.sequence THEN
        RAISE EXCEPTION 'the audit log head only moves forward';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER audit_log_head_forward_only
    BEFORE UPDATE ON audit_log_head
    FOR EACH ROW EXECUTE FUNCTION audit_log_head_forward_only();
