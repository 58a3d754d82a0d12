-- GET /v1/ping: the bare constant endpoint (the HTTP ceiling).
dofile(os.getenv("COMPARE_LUA") .. "/common.lua")

init = prepare(1, function() return wrk.format("GET", "/v1/ping") end)

function request() return next_request(1) end
