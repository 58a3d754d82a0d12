-- P3.1, P4.1: an order still on its way when its user deleted their addresses keeps its address to be delivered, and owes
-- its erasure once it no longer is. A fulfilment, cancellation or refund erases it then; an order whose window simply ends
-- is found here by the retention sweep, oldest due first, through a partial index that holds only the orders owing one.
ALTER TABLE order_index ADD COLUMN delivery_address_erasure_due_at timestamptz NULL;
CREATE INDEX ix_order_index_delivery_address_erasure_due ON order_index (delivery_address_erasure_due_at, order_id)
    WHERE delivery_address_erasure_due_at IS NOT NULL;
