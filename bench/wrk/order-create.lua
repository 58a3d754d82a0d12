-- POST /v1/merchants/{id}/orders with the merchant's key: one to three distinct lines of the
-- catalogue, for a customer (customers.lua); four prepared variants per customer.
dofile(os.getenv("COMPARE_LUA") .. "/common.lua")

init = prepare(4, function(user, v)
  local lines = ((v - 1) % 3) + 1
  local items = {}
  for i = 1, lines do
    items[i] = '{"sku":"' .. seed.skus[((v + i) % #seed.skus) + 1] .. '","quantity":' .. i .. '}'
  end
  return wrk.format("POST", "/v1/merchants/" .. seed.merchant .. "/orders",
    { ["X-Api-Key"] = seed.key, ["Content-Type"] = "application/json" },
    '{"userId":"' .. user[1] .. '","items":[' .. table.concat(items, ",") .. ']}')
end, customers)

function request() return next_request(4) end
