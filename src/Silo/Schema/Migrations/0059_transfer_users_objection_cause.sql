-- P3.2, P8.1: an objector's erasure notice is listed under a cause derived from the transfer and the user (a hash, not
-- to be read back); kept beside the objection so support's chase list can say which transfer and user it was for.
-- Objections recorded before are given theirs: 'obj_' + 26 letters of sha256('transfer-objection\n{transfer}\n{user}'),
-- each the hash byte's low 5 bits in EntityId's alphabet (EntityId.FromIdempotencyKey).
ALTER TABLE transfer_users ADD COLUMN objection_cause_id varchar(64) NULL;

UPDATE transfer_users SET objection_cause_id = 'obj_' || (
    SELECT string_agg(substr('abcdefghijklmnopqrstuvwxyz234567', (get_byte(hashed.h, i) & 31) + 1, 1), '' ORDER BY i)
      FROM (SELECT sha256(convert_to('transfer-objection' || E'\n' || transfer_id || E'\n' || user_id, 'UTF8')) AS h) hashed,
           generate_series(0, 25) AS i)
 WHERE objected_at IS NOT NULL;

CREATE INDEX ix_transfer_users_objection_cause ON transfer_users (objection_cause_id) WHERE objection_cause_id IS NOT NULL;
