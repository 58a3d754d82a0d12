-- The users whose state may still hold what an earlier version kept there (consent history, notices, ticket links):
-- every user state stored before this migration. User states are sealed, so SQL cannot tell which do; the silo's
-- one-off import (LegacyUserStateImport) asks each of these users to move its fields, then deletes its row. Users
-- registered from now on never have such fields, so the table only shrinks.
CREATE TABLE legacy_user_state_imports
(
    user_id varchar(64) PRIMARY KEY
);

INSERT INTO legacy_user_state_imports (user_id)
SELECT DISTINCT user_id FROM user_owned_states WHERE grain_type = 'user'
ON CONFLICT DO NOTHING;
