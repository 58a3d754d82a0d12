-- Which grain states each user owns (issue 12): every state sealed under a user's key has a row here, kept by the
-- same statement that writes or deletes the state, so erasure verification asks this index for one user instead
-- of scanning every grain state of the platform. A sealed state's envelope names its owner in clear
-- ({"Marker":"sealed","Owner":"usr_…",…}, ASCII); the trigger reads only that prefix.
CREATE TABLE user_owned_states
(
    service_id      varchar(150) NOT NULL,
    grain_type      varchar(512) NOT NULL,
    grain_id_n0     bigint       NOT NULL,
    grain_id_n1     bigint       NOT NULL,
    grain_id_string varchar(512) NOT NULL,
    user_id         varchar(64)  NOT NULL,
    PRIMARY KEY (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_string)
);
CREATE INDEX ix_user_owned_states_user ON user_owned_states (user_id);

CREATE FUNCTION sealed_state_owner(payload bytea) RETURNS varchar LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN substring(payload FROM 1 FOR 18) = convert_to('{"Marker":"sealed"', 'UTF8')
                THEN substring(convert_from(substring(payload FROM 1 FOR 200), 'UTF8') FROM '^\{"Marker":"sealed","Owner":"([^"]+)"')
           END
$$;

CREATE FUNCTION index_owned_state() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    owner varchar;
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM user_owned_states
         WHERE service_id = OLD.service_id AND grain_type = OLD.grain_type
           AND grain_id_n0 = OLD.grain_id_n0 AND grain_id_n1 = OLD.grain_id_n1 AND grain_id_string = OLD.grain_id_string;
        RETURN NULL;
    END IF;

    owner := sealed_state_owner(NEW.payload);
    IF owner IS NULL THEN
        -- Cleared, or written in clear (anonymized, redacted): no longer the user's.
        DELETE FROM user_owned_states
         WHERE service_id = NEW.service_id AND grain_type = NEW.grain_type
           AND grain_id_n0 = NEW.grain_id_n0 AND grain_id_n1 = NEW.grain_id_n1 AND grain_id_string = NEW.grain_id_string;
    ELSE
        INSERT INTO user_owned_states (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_string, user_id)
        VALUES (NEW.service_id, NEW.grain_type, NEW.grain_id_n0, NEW.grain_id_n1, NEW.grain_id_string, owner)
        ON CONFLICT (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_string)
            DO UPDATE SET user_id = EXCLUDED.user_id WHERE user_owned_states.user_id <> EXCLUDED.user_id;
    END IF;

    RETURN NULL;
END
$$;

CREATE TRIGGER orleans_storage_owned_states
    AFTER INSERT OR UPDATE OF payload OR DELETE ON orleans_storage
    FOR EACH ROW EXECUTE FUNCTION index_owned_state();

-- States sealed before this migration.
INSERT INTO user_owned_states (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_string, user_id)
SELECT service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_string, sealed_state_owner(payload)
  FROM orleans_storage
 WHERE sealed_state_owner(payload) IS NOT NULL;
