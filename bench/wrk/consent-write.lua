-- PUT /v1/users/{id}/consents/{purpose} as the user. Round r through the slice sets purpose r mod 4
-- to granted, then withdrawn four rounds later: every request changes the answer (the platform writes
-- nothing for a repeat), except the first round of each wrk run, whose state the previous run left.
dofile(os.getenv("COMPARE_LUA") .. "/common.lua")

local purposes = { "album", "calendar", "personalization", "notifications" }

init = prepare(8, function(user, v)
  local purpose = purposes[((v - 1) % 4) + 1]
  local granted = v <= 4 and "true" or "false"
  return wrk.format("PUT", "/v1/users/" .. user[1] .. "/consents/" .. purpose,
    { Authorization = "Bearer " .. user[2], ["Content-Type"] = "application/json" },
    '{"granted":' .. granted .. ',"policyVersion":"' .. seed.policy .. '"}')
end)

function request() return next_request(8) end
