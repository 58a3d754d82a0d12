-- Shared by bench/compare's wrk scripts: the pool bench/compare seeded (the same users and merchant on
-- every side), each wrk thread's own slice of it, and one machine-readable summary line.
-- COMPARE_DATA names the folder with users.lua ({ {userId, token}, … }), customers.lua ({ {userId}, … }: the
-- users orders are placed for, more than the pool so no merchant reaches its daily allowance of orders for one
-- user) and setup.lua.
local data = os.getenv("COMPARE_DATA")
users = dofile(data .. "/users.lua")
-- (a seed from before customers.lua: the pool)
local found, listed = pcall(dofile, data .. "/customers.lua")
customers = found and listed or users
seed = dofile(data .. "/setup.lua")

local threads_seen = 0
function setup(thread)
  thread:set("id", threads_seen)
  threads_seen = threads_seen + 1
end

-- build(user, variant) returns one ready request (wrk.format); requests are built once in init, so
-- the generator spends nothing per request beyond picking one. pool: whom the requests are for (users unless given).
function prepare(variants, build, pool)
  pool = pool or users
  return function(args)
    local threads = tonumber(args[1]) or 1
    -- Users id+1, id+1+threads, …: two threads never send for the same user, and within a thread the
    -- slice rotates, so a user has at most one request in flight unless connections outnumber the slice.
    prepared = {}
    for i = id + 1, #pool, threads do
      local forms = {}
      for v = 1, variants do forms[v] = build(pool[i], v) end
      prepared[#prepared + 1] = forms
    end
    sent = 0
  end
end

-- The next user of this thread's slice, and the variant for this round through the slice.
function next_request(variants)
  local slot = sent % #prepared
  local round = math.floor(sent / #prepared)
  sent = sent + 1
  return prepared[slot + 1][(round % variants) + 1]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK requests=%d duration_us=%d status_errors=%d socket_errors=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
