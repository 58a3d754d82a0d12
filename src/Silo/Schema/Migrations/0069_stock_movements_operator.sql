-- P1.7: a stock movement an operator made on a merchant's behalf names that operator; before, it read as the merchant's own key.
ALTER TABLE stock_movements ADD COLUMN operator_id text NULL;
