-- P4.1, P4.4: a silo started with another master key or phone-hash key than the cluster's wrapped users' data keys under
-- a key no other silo holds, re-wrapped every stored key under it during a rotation, or indexed phones under other hashes.
-- Each key's check value (an HMAC of a fixed label under the key, which does not reveal it) is recorded here by the first
-- silo that runs with it; every silo compares its own at start and refuses to start on a difference (PlatformKeyChecks).
CREATE TABLE platform_key_checks
(
    key_name    text        NOT NULL PRIMARY KEY,
    check_value bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
