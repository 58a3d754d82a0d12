-- Retail (issue 16). Nothing here names a customer: stock moves, takings and card settlements are the
-- merchant's own accounts, and survive every customer's erasure.

-- Every movement of a product's stock: who (a merchant's staff member, or null for the merchant's key),
-- why, when, and the stock it left. Written by the product's stock grain after its state.
CREATE TABLE stock_movements
(
    movement_id varchar(64) NOT NULL PRIMARY KEY,
    merchant_id varchar(64) NOT NULL,
    sku         varchar(64) NOT NULL,
    delta       integer     NOT NULL,
    stock_after integer     NOT NULL,
    reason      varchar(32) NOT NULL,
    operation   varchar(160) NOT NULL,
    staff_id    varchar(64) NULL,
    order_id    varchar(64) NULL,
    at          timestamptz NOT NULL
);
CREATE INDEX ix_stock_movements_product ON stock_movements (merchant_id, sku, at DESC, movement_id DESC);

-- The takings ledger: one row per confirmed payment and per part of a refund, by order, method and time.
-- Written again whenever an order's money moves (ON CONFLICT DO NOTHING), so a row lost to a crash comes back.
CREATE TABLE merchant_takings
(
    entry_id    varchar(160) NOT NULL PRIMARY KEY,
    merchant_id varchar(64)  NOT NULL,
    order_id    varchar(64)  NOT NULL,
    kind        varchar(16)  NOT NULL,
    method      varchar(32)  NOT NULL,
    amount_fen  bigint       NOT NULL,
    at          timestamptz  NOT NULL
);
CREATE INDEX ix_merchant_takings_day ON merchant_takings (merchant_id, at);

-- Member-card balances settled at a user's cancellation or the merchant's closure: what the merchant owes back.
-- The card is named by a pseudonym that leads nowhere once the user's key is gone; account_ref groups one
-- user's settlements for their erasure receipt while it still can.
CREATE TABLE member_card_settlements
(
    settlement_id varchar(64) NOT NULL PRIMARY KEY,
    merchant_id   varchar(64) NOT NULL,
    card_user_ref varchar(128) NOT NULL,
    account_ref   varchar(128) NULL,
    amount_fen    bigint      NOT NULL,
    cause         varchar(32) NOT NULL,
    pay_back      varchar(64) NOT NULL,
    settled_at    timestamptz NOT NULL
);
CREATE INDEX ix_member_card_settlements_merchant ON member_card_settlements (merchant_id, settled_at DESC, settlement_id DESC);
CREATE INDEX ix_member_card_settlements_account ON member_card_settlements (account_ref) WHERE account_ref IS NOT NULL;
