-- Transfers completed before 0047 left their user rows without the merchant that handed the users over, so that
-- merchant was not told of a user's later erasure or correction (P3.1), though its own systems kept what it held.
-- The transfer's own grain state names it: a transfer is no user's data, so its state is stored as plain JSON
-- (System.Text.Json, the storage serializer's default naming; the camel-case name is read too, should it change).
UPDATE transfer_users AS tu
   SET merchant_id = coalesce(state.json ->> 'MerchantId', state.json ->> 'merchantId')
  FROM (SELECT grain_id_string, convert_from(payload, 'UTF8')::jsonb AS json
          FROM orleans_storage
         WHERE grain_type = 'transfer' AND grain_id_n0 = 0 AND grain_id_n1 = 0 AND payload IS NOT NULL) AS state
 WHERE tu.merchant_id IS NULL
   AND state.grain_id_string = tu.transfer_id
   AND coalesce(state.json ->> 'MerchantId', state.json ->> 'merchantId') <> '';
