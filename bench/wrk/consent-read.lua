-- GET /v1/users/{id}/consents as the user (bearer token), rotating through the pool.
dofile(os.getenv("COMPARE_LUA") .. "/common.lua")

init = prepare(1, function(user)
  return wrk.format("GET", "/v1/users/" .. user[1] .. "/consents", { Authorization = "Bearer " .. user[2] })
end)

function request() return next_request(1) end
