-- P1.7, P4.4: every change of a product's price, with who made it, kept for good. Without it a manager could drop a price,
-- let a friend's sale through at it and put it back, and nothing but the order's line would show the price ever moved.
CREATE TABLE price_changes
(
    change_id          text        NOT NULL PRIMARY KEY,
    merchant_id        text        NOT NULL,
    sku                text        NOT NULL,
    previous_price_fen bigint      NOT NULL,
    price_fen          bigint      NOT NULL,
    staff_id           text        NULL,
    operator_id        text        NULL,
    changed_at         timestamptz NOT NULL
);

CREATE INDEX ix_price_changes_product ON price_changes (merchant_id, sku, changed_at DESC, change_id DESC);
