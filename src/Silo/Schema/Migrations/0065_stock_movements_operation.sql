-- P4.4: a product's stock grain remembers its last 1,000 operations; an Idempotency-Key older than that (a till replaying
-- its queue after a day's sales) is looked up among the product's movements by this index, not applied a second time.
CREATE INDEX ix_stock_movements_operation ON stock_movements (merchant_id, sku, operation);
