-- Order lines as facts for de-identified analytics (P1.11, P1.13): no user, no delivery, nothing personal.
CREATE TABLE order_line_facts
(
    order_id    varchar(64) NOT NULL,
    line_no     integer     NOT NULL,
    merchant_id varchar(64) NOT NULL,
    region      varchar(2)  NOT NULL,
    day         date        NOT NULL,
    sku         varchar(64) NOT NULL,
    quantity    integer     NOT NULL,
    amount_fen  bigint      NOT NULL,
    PRIMARY KEY (order_id, line_no)
);
CREATE INDEX ix_order_line_facts_day ON order_line_facts (day);
