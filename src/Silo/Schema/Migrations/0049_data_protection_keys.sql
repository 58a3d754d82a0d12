-- The API hosts' ASP.NET Core data-protection key ring (docs/security.md, "Consoles"): the keys that protect the
-- support console's cookie and every antiforgery token. Kept here, where every API host (separate or co-hosted)
-- reads the same ring, so a cookie or a form token issued by one host is accepted by another, and a restarted host
-- keeps what it issued. Each row is one element of the ring as the framework writes it (a key, or a revocation);
-- a key's secret is sealed (AES-256-GCM under a key derived from MEILING_JWT_KEY) before it reaches this table,
-- so the rows alone forge nothing. Rows are only ever added: the framework retires a key by its expiry date.
CREATE TABLE data_protection_keys
(
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    friendly_name text        NOT NULL,
    xml           text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
