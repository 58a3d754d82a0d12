-- Grain state for Orleans' ADO.NET grain storage, serialized as plain JSON (System.Text.Json) in payload.
-- A grain is identified by its type and id; the hashes are kept for hash partitioning later.

CREATE TABLE orleans_storage
(
    service_id      varchar(150)   NOT NULL,
    grain_type      varchar(512)   NOT NULL,
    grain_id_n0     bigint         NOT NULL,
    grain_id_n1     bigint         NOT NULL,
    grain_id_string varchar(512)   NOT NULL DEFAULT '',
    grain_type_hash integer        NOT NULL,
    grain_id_hash   integer        NOT NULL,
    payload         bytea          NULL,
    modified_at     timestamptz(3) NOT NULL DEFAULT now(),
    version         integer        NOT NULL,
    PRIMARY KEY (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_string)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', '
SELECT payload AS "PayloadBinary", modified_at AS "ModifiedOn", version AS "Version"
  FROM orleans_storage
 WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
   AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
   AND grain_id_string = COALESCE(@GrainIdExtensionString, '''')'),

-- A write with no version inserts (and finds nothing when another activation got there first);
-- a write with a version updates only that version. Either way a refused write returns the
-- caller''s own version (or NULL), which the provider reports as an InconsistentStateException.
('WriteToStorageKey', '
WITH updated AS (
    UPDATE orleans_storage
       SET payload = @PayloadBinary, modified_at = now(), version = version + 1
     WHERE @GrainStateVersion::integer IS NOT NULL
       AND service_id = @ServiceId AND grain_type = @GrainTypeString
       AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
       AND grain_id_string = COALESCE(@GrainIdExtensionString, '''')
       AND version = @GrainStateVersion::integer
    RETURNING version),
inserted AS (
    INSERT INTO orleans_storage
        (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_string, grain_type_hash, grain_id_hash, payload, version)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString, ''''),
           @GrainTypeHash, @GrainIdHash, @PayloadBinary, 1
     WHERE @GrainStateVersion::integer IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version)
SELECT COALESCE((SELECT version FROM updated), (SELECT version FROM inserted), @GrainStateVersion::integer) AS "NewGrainStateVersion"'),

('ClearStorageKey', '
WITH cleared AS (
    UPDATE orleans_storage
       SET payload = NULL, modified_at = now(), version = version + 1
     WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
       AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
       AND grain_id_string = COALESCE(@GrainIdExtensionString, '''')
       AND version = @GrainStateVersion::integer
    RETURNING version)
SELECT COALESCE((SELECT version FROM cleared), @GrainStateVersion::integer) AS "NewGrainStateVersion"'),

-- Clearing a grain deletes its row (DeleteStateOnClear): nothing of a cleared grain stays behind.
('DeleteStorageKey', '
WITH deleted AS (
    DELETE FROM orleans_storage
     WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
       AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
       AND grain_id_string = COALESCE(@GrainIdExtensionString, '''')
       AND version = @GrainStateVersion::integer
    RETURNING version)
SELECT COALESCE((SELECT version + 1 FROM deleted), @GrainStateVersion::integer) AS "NewGrainStateVersion"');
