-- Users' personal data that grows with use and expires item by item lives in tables of its own,
-- next to the user grain that owns it.

-- P1.2: location samples, each with the consent receipt it was collected under (P1.10).
CREATE TABLE user_location_samples
(
    user_id            varchar(64)      NOT NULL,
    at                 timestamptz      NOT NULL,
    latitude           double precision NOT NULL,
    longitude          double precision NOT NULL,
    accuracy_meters    double precision NOT NULL,
    source             varchar(16)      NOT NULL,
    consent_receipt_id varchar(64)      NOT NULL
);
CREATE INDEX ix_user_location_samples_user ON user_location_samples (user_id, at DESC);
CREATE INDEX ix_user_location_samples_at ON user_location_samples (at);

-- P1.3: the activity log of signed-in users' requests.
CREATE TABLE user_activity
(
    user_id          varchar(64)  NOT NULL,
    at               timestamptz  NOT NULL,
    ip_address       varchar(64)  NULL,
    user_agent       varchar(512) NULL,
    language         varchar(64)  NULL,
    operating_system varchar(64)  NULL,
    path             varchar(512) NOT NULL,
    search_terms     varchar(256) NULL,
    basis            varchar(32)  NOT NULL
);
CREATE INDEX ix_user_activity_user ON user_activity (user_id, at DESC);
CREATE INDEX ix_user_activity_at ON user_activity (at);
