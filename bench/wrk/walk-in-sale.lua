-- POST /v1/merchants/{id}/orders with the merchant's key and no userId: a walk-in sale at the till (issue 16),
-- one to three distinct lines of the catalogue (not stock-tracked), no customer, no consent gate.
dofile(os.getenv("COMPARE_LUA") .. "/common.lua")

init = prepare(4, function(_, v)
  local lines = ((v - 1) % 3) + 1
  local items = {}
  for i = 1, lines do
    items[i] = '{"sku":"' .. seed.skus[((v + i) % #seed.skus) + 1] .. '","quantity":' .. i .. '}'
  end
  return wrk.format("POST", "/v1/merchants/" .. seed.merchant .. "/orders",
    { ["X-Api-Key"] = seed.key, ["Content-Type"] = "application/json" },
    '{"items":[' .. table.concat(items, ",") .. ']}')
end)

function request() return next_request(4) end
