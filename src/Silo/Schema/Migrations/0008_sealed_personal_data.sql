-- Per-user data keys (crypto-shredding, P4.1): each user's AES-256 key, stored only wrapped by a master
-- key. Deleting a user's row leaves everything sealed under that key unreadable, backups included.
CREATE TABLE user_data_keys
(
    user_id       varchar(64) NOT NULL PRIMARY KEY,
    master_key_id varchar(32) NOT NULL,
    wrapped_key   bytea       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ix_user_data_keys_master ON user_data_keys (master_key_id);

-- Location samples and activity entries are sealed under the user's key: the clear columns go.
ALTER TABLE user_location_samples
    DROP COLUMN latitude, DROP COLUMN longitude, DROP COLUMN accuracy_meters, DROP COLUMN source,
    ADD COLUMN sealed_sample bytea NOT NULL;

ALTER TABLE user_activity
    DROP COLUMN ip_address, DROP COLUMN user_agent, DROP COLUMN language, DROP COLUMN operating_system,
    DROP COLUMN path, DROP COLUMN search_terms,
    ADD COLUMN sealed_entry bytea NOT NULL;
