-- P1.13, P3.1: the analytics export's figures as first published, one row per closed day and its kept groups. Computed
-- afresh on every export, two exports of the same day (one while it was open, or before and after a refund changed an
-- order's status) differed by exactly one purchase; each day is now published once and served from here ever after.
-- A day's row is claimed (ON CONFLICT DO NOTHING) in the transaction that stores its groups, so concurrent exports publish it once.
CREATE TABLE analytics_published_days
(
    day               date        NOT NULL PRIMARY KEY,
    suppressed_groups integer     NOT NULL DEFAULT 0,
    published_at      timestamptz NOT NULL
);

-- Only groups of at least k known customers: suppressed ones are counted on their day, never stored. The merchant's id
-- stays here, not in any export: each export draws its own alias for it.
CREATE TABLE analytics_published_groups
(
    day         date        NOT NULL REFERENCES analytics_published_days (day),
    merchant_id varchar(64) NOT NULL,
    sku         varchar(64) NOT NULL,
    region      varchar(2)  NOT NULL,
    orders      integer     NOT NULL,
    quantity    bigint      NOT NULL,
    sales_fen   bigint      NOT NULL,
    PRIMARY KEY (day, merchant_id, sku, region)
);
