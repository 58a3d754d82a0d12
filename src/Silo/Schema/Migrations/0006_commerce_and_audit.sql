-- Order listings (P1.4): newest first per merchant and per user, paged by keyset.
CREATE TABLE order_index
(
    order_id    varchar(64) NOT NULL PRIMARY KEY,
    merchant_id varchar(64) NOT NULL,
    user_id     varchar(64) NULL,
    created_at  timestamptz NOT NULL,
    total_fen   bigint      NOT NULL,
    status      varchar(32) NOT NULL
);
CREATE INDEX ix_order_index_merchant ON order_index (merchant_id, created_at DESC, order_id DESC);
CREATE INDEX ix_order_index_user ON order_index (user_id, created_at DESC, order_id DESC) WHERE user_id IS NOT NULL;

-- The disclosure ledger (P3.1): every hand-over of a user's data to a party outside the platform.
CREATE TABLE user_disclosures
(
    user_id            varchar(64)  NOT NULL,
    at                 timestamptz  NOT NULL,
    recipient          varchar(128) NOT NULL,
    recipient_kind     varchar(32)  NOT NULL,
    fields             text[]       NOT NULL,
    purpose            varchar(64)  NOT NULL,
    basis              varchar(32)  NOT NULL,
    consent_receipt_id varchar(64)  NULL
);
CREATE INDEX ix_user_disclosures_user ON user_disclosures (user_id, at DESC);

-- The audit log: append-only and hash-chained (each hash covers the previous one).
CREATE TABLE audit_log
(
    sequence        bigint       NOT NULL PRIMARY KEY,
    at              timestamptz  NOT NULL,
    actor_role      varchar(32)  NOT NULL,
    actor_id        varchar(64)  NOT NULL,
    action          varchar(128) NOT NULL,
    subject_user_id varchar(64)  NULL,
    detail          text         NULL,
    previous_hash   varchar(64)  NOT NULL,
    hash            varchar(64)  NOT NULL
);
CREATE INDEX ix_audit_log_subject ON audit_log (subject_user_id, sequence) WHERE subject_user_id IS NOT NULL;
