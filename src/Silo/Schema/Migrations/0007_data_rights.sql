-- Data-rights requests (P8.1): status and due date of every request, for support's open and overdue lists.
CREATE TABLE data_rights_requests
(
    request_id   varchar(64) NOT NULL PRIMARY KEY,
    user_id      varchar(64) NOT NULL,
    type         varchar(32) NOT NULL,
    status       varchar(32) NOT NULL,
    received_at  timestamptz NOT NULL,
    due_at       timestamptz NOT NULL,
    completed_at timestamptz NULL
);
CREATE INDEX ix_data_rights_requests_open ON data_rights_requests (due_at) WHERE status IN ('Received', 'InProgress');
CREATE INDEX ix_data_rights_requests_user ON data_rights_requests (user_id, received_at);

-- Which member cards exist (P1.6), so export, erasure and a merchant's termination can find them.
CREATE TABLE member_card_index
(
    merchant_id varchar(64) NOT NULL,
    user_id     varchar(64) NOT NULL,
    PRIMARY KEY (merchant_id, user_id)
);
CREATE INDEX ix_member_card_index_user ON member_card_index (user_id);
