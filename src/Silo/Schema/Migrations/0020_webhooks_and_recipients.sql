-- Merchant webhooks (issue 14). One endpoint per merchant; its signing secret sealed under the platform's
-- webhook key (never returned after the answer that issued it).
CREATE TABLE merchant_webhooks
(
    merchant_id   varchar(64)  NOT NULL PRIMARY KEY,
    url           varchar(2048) NOT NULL,
    events        text[]       NOT NULL,
    sealed_secret bytea        NOT NULL,
    updated_at    timestamptz  NOT NULL
);

-- The outbox: one row per event for one recipient, written in the same step that causes it (P3.1, P4.1)
-- and delivered at least once by whichever silo leases it. event_id is the stable webhook-id; a step that
-- runs again writes nothing new (ON CONFLICT DO NOTHING).
CREATE TABLE webhook_outbox
(
    delivery_id      varchar(64)  NOT NULL PRIMARY KEY,
    event_id         varchar(64)  NOT NULL UNIQUE,
    recipient        varchar(64)  NOT NULL,
    recipient_kind   varchar(32)  NOT NULL,
    type             varchar(64)  NOT NULL,
    body             text         NOT NULL,
    request_id       varchar(64)  NULL,
    status           varchar(16)  NOT NULL,
    attempts         integer      NOT NULL DEFAULT 0,
    last_status_code integer      NULL,
    last_attempt_at  timestamptz  NULL,
    next_attempt_at  timestamptz  NULL,
    lease_until      timestamptz  NULL,
    leased_by        varchar(128) NULL,
    delivered_at     timestamptz  NULL,
    created_at       timestamptz  NOT NULL
);
CREATE INDEX ix_webhook_outbox_due ON webhook_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX ix_webhook_outbox_recipient ON webhook_outbox (recipient, created_at, delivery_id);

-- Who a data-rights request reaches (from the disclosure ledger), when each was told and when it confirmed.
-- Names parties only (merchant ids, partner names), never the user's data; kept after the request completes.
CREATE TABLE request_recipients
(
    request_id     varchar(64) NOT NULL,
    recipient      varchar(64) NOT NULL,
    recipient_kind varchar(32) NOT NULL,
    event_id       varchar(64) NULL,
    listed_at      timestamptz NOT NULL,
    notified_at    timestamptz NULL,
    confirmed_at   timestamptz NULL,
    PRIMARY KEY (request_id, recipient, recipient_kind)
);
CREATE INDEX ix_request_recipients_unconfirmed ON request_recipients (request_id) WHERE confirmed_at IS NULL;
CREATE INDEX ix_request_recipients_event ON request_recipients (event_id);

-- P3.3: a legal demand's document reference is kept with the hand-over; P3.2: the record of a transfer says
-- the successor is bound by the same policy.
ALTER TABLE user_disclosures ADD COLUMN document_reference varchar(256) NULL;
ALTER TABLE user_disclosures ADD COLUMN note varchar(512) NULL;

-- P3.3: every legal demand, for the operators' review of those the user was not told about.
CREATE TABLE legal_disclosures
(
    disclosure_id      varchar(64)  NOT NULL PRIMARY KEY,
    user_id            varchar(64)  NOT NULL,
    authority          varchar(200) NOT NULL,
    document_type      varchar(32)  NOT NULL,
    document_reference varchar(256) NOT NULL,
    fields             text[]       NOT NULL,
    user_notified      boolean      NOT NULL,
    recorded_by        varchar(64)  NOT NULL,
    at                 timestamptz  NOT NULL
);
CREATE INDEX ix_legal_disclosures_withheld ON legal_disclosures (at, disclosure_id) WHERE NOT user_notified;

-- P3.2: the users a business transfer concerns, who objected, and who was handed over.
CREATE TABLE transfer_users
(
    transfer_id    varchar(64) NOT NULL,
    user_id        varchar(64) NOT NULL,
    notified_at    timestamptz NULL,
    objected_at    timestamptz NULL,
    settled_at     timestamptz NULL,
    PRIMARY KEY (transfer_id, user_id)
);
