#!/usr/bin/env bash
# scripts/lib/platform.sh — a throw-away MeiLing platform for the operations checks
# (scripts/check-outage, scripts/check-failover): a private PostgreSQL in a temporary folder, silos
# and the API, each with its own log, all stopped by plat_stop. Source it; do not run it:
#
#   source scripts/lib/postgres.sh scripts/lib/platform.sh
#   plat_init                 # temporary folder, secrets, PostgreSQL on the first free port from PLAT_PG_PORT
#   plat_start_silo I         # silo-I on PLAT_SILO_BASE+I, PLAT_GATEWAY_BASE+I, PLAT_HTTP_BASE+I; waits until ready
#   plat_start_api            # the API on 127.0.0.1:PLAT_API_PORT; waits until ready
#   plat_pid NAME             # pid of silo-I or api
#   plat_psql SQL             # runs SQL in the platform's database, unaligned output
#   plat_wait_dead PORT       # waits until the silo on silo port PORT is Dead in the membership table,
#                             # then prints how long that took
#   plat_pg_signal DIR SIG    # sends SIG (STOP, CONT) to the postmaster on DIR and every backend it forked
#   plat_stop                 # SIGTERM the API, then the silos (each up to 30 s), stop PostgreSQL, remove the folder
#
# Variables (defaults chosen to stay clear of scripts/run and scripts/test): PLAT_PG_PORT 55481,
# PLAT_SILO_BASE 11181, PLAT_GATEWAY_BASE 30081, PLAT_HTTP_BASE 8181, PLAT_API_PORT 5181,
# PLAT_KEEP=1 keeps the folder (logs) after plat_stop. Set by plat_init: PLAT_DIR, PLAT_POSTGRES,
# PLAT_OPERATOR_KEY, PLAT_PHONE_HASH_KEY, PLAT_MASTER_KEYS, PLAT_API_URL. Needs the Release build (dotnet build MeiLing.Orleans.sln -c Release).

PLAT_PG_PORT=${PLAT_PG_PORT:-55481}
PLAT_SILO_BASE=${PLAT_SILO_BASE:-11181}
PLAT_GATEWAY_BASE=${PLAT_GATEWAY_BASE:-30081}
PLAT_HTTP_BASE=${PLAT_HTTP_BASE:-8181}
PLAT_API_PORT=${PLAT_API_PORT:-5181}
PLAT_CLUSTER_ID=${PLAT_CLUSTER_ID:-meiling-check}

_plat_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
declare -A _plat_pids=()
_plat_pg_started=0

_plat_err() { printf 'platform.sh: %s\n' "$*" >&2; }
_plat_hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

plat_init() {
  local port=$PLAT_PG_PORT i
  PLAT_DIR=$(mktemp -d "${TMPDIR:-/tmp}/meiling-check.XXXXXX")
  chmod 755 "$PLAT_DIR"
  mkdir -p "$PLAT_DIR/logs"
  for ((i = 0; i < 50; i++)); do port_in_use "$port" || break; port=$((port + 1)); done
  port_in_use "$port" && { _plat_err "no free port for PostgreSQL from $PLAT_PG_PORT"; return 1; }
  PLAT_PG_PORT=$port
  pg_init "$PLAT_DIR/postgres" || return 1
  pg_start "$PLAT_DIR/postgres" "$port" "$PLAT_DIR/logs/postgres.log" || return 1
  _plat_pg_started=1
  pg_wait "$port" 30 && pg_create_db "$port" meiling >/dev/null || return 1
  PLAT_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=meiling;Maximum Pool Size=50"
  PLAT_OPERATOR_KEY="op_$(_plat_hex 24)"
  PLAT_PHONE_HASH_KEY=$(_plat_hex 32)
  PLAT_MASTER_KEYS="k1:$(head -c 32 /dev/urandom | base64 -w0)"
  _plat_jwt_key=$(head -c 32 /dev/urandom | base64 -w0)
  PLAT_API_URL="http://127.0.0.1:$PLAT_API_PORT"
}

# _plat_start NAME READY_URL VAR=VALUE... -- DLL
_plat_start() {
  local name=$1 url=$2 log="$PLAT_DIR/logs/$1.log" envs=() t0=$SECONDS
  shift 2
  while [[ $1 != -- ]]; do envs+=("$1"); shift; done
  shift
  env -u ASPNETCORE_URLS -u ASPNETCORE_HTTP_PORTS "${envs[@]}" dotnet "$_plat_root/$1" >"$log" 2>&1 </dev/null &
  _plat_pids[$name]=$!
  # Not a job of this shell: a silo killed on purpose is not reported as "Killed".
  disown "$!"
  while ((SECONDS - t0 < 90)); do
    if ! kill -0 "${_plat_pids[$name]}" 2>/dev/null; then
      _plat_err "$name exited before becoming ready; last lines of $log:"
      tail -n 30 "$log" >&2
      return 1
    fi
    curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
    sleep 0.3
  done
  _plat_err "$name not ready after 90 s ($url)"
  return 1
}

plat_start_silo() {
  local i=$1
  for p in $((PLAT_SILO_BASE + i)) $((PLAT_GATEWAY_BASE + i)) $((PLAT_HTTP_BASE + i)); do
    port_in_use "$p" && { _plat_err "port $p is in use"; return 1; }
  done
  # The checks register users under load without reading codes: phone verification is off (weaker, fine here).
  _plat_start "silo-$i" "http://127.0.0.1:$((PLAT_HTTP_BASE + i))/health/ready" \
    "MEILING_POSTGRES=$PLAT_POSTGRES" "MEILING_CLUSTER_ID=$PLAT_CLUSTER_ID" "MEILING_SILO_NAME=silo-$i" \
    "MEILING_SILO_PORT=$((PLAT_SILO_BASE + i))" "MEILING_GATEWAY_PORT=$((PLAT_GATEWAY_BASE + i))" \
    "MEILING_DASHBOARD_PORT=$((PLAT_HTTP_BASE + i))" "MEILING_PHONE_HASH_KEY=$PLAT_PHONE_HASH_KEY" \
    "MEILING_MASTER_KEYS=$PLAT_MASTER_KEYS" "MEILING_OPERATOR_KEY=$PLAT_OPERATOR_KEY" \
    "MEILING_SMS_SENDER=sandbox" "DOTNET_ENVIRONMENT=Sandbox" "MEILING_PHONE_VERIFICATION=off" \
    -- src/Silo/bin/Release/net10.0/MeiLing.Silo.dll
}

plat_start_api() {
  port_in_use "$PLAT_API_PORT" && { _plat_err "port $PLAT_API_PORT is in use"; return 1; }
  # The checks register users from one address as fast as the platform takes them: the per-address
  # sign-up limit (against password spraying from the internet) would turn their load into 429s.
  _plat_start api "$PLAT_API_URL/health/ready" \
    "MEILING_POSTGRES=$PLAT_POSTGRES" "MEILING_CLUSTER_ID=$PLAT_CLUSTER_ID" "ASPNETCORE_URLS=$PLAT_API_URL" \
    "MEILING_OPERATOR_KEY=$PLAT_OPERATOR_KEY" "MEILING_JWT_KEY=$_plat_jwt_key" "DOTNET_ENVIRONMENT=Sandbox" \
    "MEILING_RATE_LIMIT_CREDENTIALS_PER_MINUTE=1000000" \
    -- src/Api/bin/Release/net10.0/MeiLing.Api.dll
}

plat_pid() { echo "${_plat_pids[$1]:?no process named $1}"; }

plat_psql() {
  "$(pg_bin_dir)/psql" -X -q -tA -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PLAT_PG_PORT" -U postgres -d meiling -c "$1"
}

plat_pg_signal() {
  local postmaster
  postmaster=$(head -n 1 "${1:?plat_pg_signal DIR SIG}/postmaster.pid")
  # By process id (the postmaster's, then its children's), never by name: other PostgreSQLs run here too.
  kill "-${2:?signal}" "$postmaster" $(pgrep -P "$postmaster")
}

plat_wait_dead() {
  local port=${1:?plat_wait_dead SILO_PORT} start status
  start=$(date +%s%N)
  # Status 6 is Dead; the newest generation on that port is the silo that was running there.
  until status=$(plat_psql "SELECT status FROM orleans_membership WHERE port = $port ORDER BY generation DESC LIMIT 1" 2>/dev/null) \
    && [[ $status == 6 ]]; do
    sleep 0.1
  done
  awk -v ns=$(($(date +%s%N) - start)) 'BEGIN { printf "%.1f\n", ns / 1e9 }'
}

# _plat_stop_one NAME: SIGTERM, up to 30 s (a silo's shutdown budget), then SIGKILL.
_plat_stop_one() {
  local pid=${_plat_pids[$1]} i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 120; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done
  _plat_err "$1 did not stop within 30 s: killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

plat_stop() {
  local name
  [[ -n ${_plat_pids[api]:-} ]] && _plat_stop_one api
  for name in "${!_plat_pids[@]}"; do
    [[ $name == api ]] || _plat_stop_one "$name" &
  done
  wait
  ((_plat_pg_started)) && pg_stop "$PLAT_DIR/postgres"
  if [[ -n ${PLAT_DIR:-} && -d $PLAT_DIR ]]; then
    if [[ ${PLAT_KEEP:-0} == 1 ]]; then echo "Kept $PLAT_DIR (logs in $PLAT_DIR/logs)"; else rm -rf -- "$PLAT_DIR"; fi
  fi
}
