#!/usr/bin/env bash
# scripts/lib/postgres.sh — helpers for a private, loopback-only PostgreSQL, shared by scripts/run
# and scripts/test. Source it; do not run it:
#
#   source scripts/lib/postgres.sh
#   pg_init  DIR                  # initdb once (trust auth, user postgres, UTF8, C.UTF-8)
#   pg_start DIR PORT LOGFILE     # pg_ctl -w start on 127.0.0.1:PORT
#   pg_wait  PORT [SECONDS]       # wait until it accepts connections
#   pg_create_db PORT NAME        # CREATE DATABASE unless it exists
#   pg_stop  DIR                  # pg_ctl -m fast stop (no-op when not running)
#
# Other helpers: pg_bin_dir [DIR] (prints the binaries' folder, installing PostgreSQL with apt-get
# when none is found), pg_running DIR, pg_running_port DIR, port_in_use PORT.
# Variables: MEILING_PG_BIN overrides the binaries' folder.
# As root, initdb/pg_ctl run as the `postgres` user (runuser) and the data folder is owned by it.
#
# Run directly with --help to print this text.

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"
  exit 0
fi

_pg_err() { printf 'postgres.sh: %s\n' "$*" >&2; }

# Runs a command as the postgres user when we are root, else as ourselves; from / so that the
# postgres user never needs access to the caller's working directory.
_pg_as() {
  if [[ ${EUID:-$(id -u)} -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

# Prints the folder that holds initdb/pg_ctl/psql. With DIR (a data folder), prefers the binaries of
# the version that folder was created with. Installs PostgreSQL with apt-get when none is found.
pg_bin_dir() {
  local data=${1:-} want="" d best=""
  if [[ -n ${MEILING_PG_BIN:-} ]]; then
    if [[ -x $MEILING_PG_BIN/initdb ]]; then echo "$MEILING_PG_BIN"; return 0; fi
    _pg_err "MEILING_PG_BIN=$MEILING_PG_BIN has no initdb"; return 1
  fi
  if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
    if ! command -v initdb >/dev/null 2>&1 && ! command -v pg_config >/dev/null 2>&1; then
      if [[ ${EUID:-$(id -u)} -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
        _pg_err "PostgreSQL server binaries not found; install PostgreSQL (e.g. apt-get install postgresql) or set MEILING_PG_BIN"
        return 1
      fi
      echo "PostgreSQL not found: installing it with apt-get (one time)…" >&2
      local out
      if ! out=$(export DEBIAN_FRONTEND=noninteractive; apt-get update 2>&1 && apt-get install -y postgresql 2>&1); then
        printf '%s\n' "$out" | tail -n 20 >&2
        _pg_err "apt-get install postgresql failed"
        return 1
      fi
    fi
  fi
  [[ -n $data && -f $data/PG_VERSION ]] && want=$(<"$data/PG_VERSION")
  if [[ -n $want && -x /usr/lib/postgresql/$want/bin/initdb ]]; then
    echo "/usr/lib/postgresql/$want/bin"; return 0
  fi
  for d in /usr/lib/postgresql/*/bin; do
    [[ -x $d/initdb ]] || continue
    if [[ -z $best ]] || [[ $(printf '%s\n%s\n' "$best" "$d" | sort -V | tail -n 1) == "$d" ]]; then best=$d; fi
  done
  if [[ -z $best ]]; then
    if command -v initdb >/dev/null 2>&1; then best=$(dirname "$(command -v initdb)")
    elif command -v pg_config >/dev/null 2>&1; then best=$(pg_config --bindir)
    fi
  fi
  if [[ -z $best || ! -x $best/initdb ]]; then _pg_err "no initdb found"; return 1; fi
  echo "$best"
}

# Prints PATH made absolute (the pg commands run from /).
_pg_abs() { if [[ $1 == /* ]]; then echo "$1"; else echo "$PWD/$1"; fi; }

# Makes sure the postgres user exists when we are root.
_pg_user() {
  [[ ${EUID:-$(id -u)} -eq 0 ]] || return 0
  id -u postgres >/dev/null 2>&1 && return 0
  useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
}

# Fails unless the postgres user (when root) can reach DIR.
_pg_reachable() {
  [[ ${EUID:-$(id -u)} -eq 0 ]] || return 0
  if ! runuser -u postgres -- test -x "$1"; then
    _pg_err "the postgres user cannot reach $1 (a parent folder is not world-executable)"
    return 1
  fi
}

# pg_init DIR: creates the cluster once (no-op when DIR already holds one).
pg_init() {
  local dir=${1:?pg_init DIR} bin out
  dir=$(_pg_abs "$dir")
  if [[ -f $dir/PG_VERSION ]]; then return 0; fi
  if [[ -d $dir ]] && [[ -n $(ls -A "$dir") ]]; then
    _pg_err "$dir exists, is not empty and is not a PostgreSQL data folder"; return 1
  fi
  bin=$(pg_bin_dir) || return 1
  _pg_user || return 1
  mkdir -p "$dir"
  chmod 700 "$dir"
  if [[ ${EUID:-$(id -u)} -eq 0 ]]; then chown postgres:postgres "$dir"; fi
  _pg_reachable "$dir" || return 1
  if ! out=$(_pg_as "$bin/initdb" -D "$dir" -A trust -U postgres -E UTF8 --locale=C.UTF-8 2>&1); then
    printf '%s\n' "$out" | tail -n 20 >&2
    _pg_err "initdb failed for $dir"
    return 1
  fi
}

# The unix socket folder for a data folder: next to it, inside its parent. Empty (no unix socket,
# TCP only) when the socket path would be too long for the kernel.
_pg_sockdir() {
  local s
  s="$(cd "$(dirname "$1")" && pwd)/pg-socket"
  if (( ${#s} + 20 > 107 )); then echo ""; else echo "$s"; fi
}

# pg_running DIR: true when a postmaster is running on DIR.
pg_running() {
  local dir=${1:?pg_running DIR} bin
  dir=$(_pg_abs "$dir")
  [[ -f $dir/postmaster.pid ]] || return 1
  bin=$(pg_bin_dir "$dir") || return 1
  _pg_as "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1
}

# pg_running_port DIR: the port of the postmaster running on DIR (line 4 of postmaster.pid).
pg_running_port() {
  sed -n '4p' "${1:?pg_running_port DIR}/postmaster.pid"
}

# pg_start DIR PORT LOGFILE
pg_start() {
  local dir=${1:?pg_start DIR PORT LOGFILE} port=${2:?port} log=${3:?logfile} bin sock
  dir=$(_pg_abs "$dir"); log=$(_pg_abs "$log")
  bin=$(pg_bin_dir "$dir") || return 1
  sock=$(_pg_sockdir "$dir")
  mkdir -p "$(dirname "$log")"
  touch "$log"
  [[ -n $sock ]] && mkdir -p "$sock"
  if [[ ${EUID:-$(id -u)} -eq 0 ]]; then
    _pg_user || return 1
    chown -R postgres:postgres "$dir"
    chown postgres:postgres "$log"
    [[ -n $sock ]] && chown postgres:postgres "$sock"
  fi
  chmod 700 "$dir"
  _pg_reachable "$dir" || return 1
  if ! _pg_as "$bin/pg_ctl" -D "$dir" -l "$log" -w -t 60 \
      -o "-p $port -k '$sock' -c listen_addresses=127.0.0.1 -c max_connections=400" start >/dev/null; then
    tail -n 20 "$log" >&2 || true
    _pg_err "PostgreSQL failed to start on 127.0.0.1:$port (log: $log)"
    return 1
  fi
}

# pg_stop DIR: fast shutdown; quiet and successful when nothing is running.
pg_stop() {
  local dir=${1:?pg_stop DIR} bin
  dir=$(_pg_abs "$dir")
  [[ -f $dir/postmaster.pid ]] || return 0
  bin=$(pg_bin_dir "$dir") || return 1
  _pg_as "$bin/pg_ctl" -D "$dir" -m fast -w -t 60 stop >/dev/null 2>&1 && return 0
  if pg_running "$dir"; then _pg_err "PostgreSQL on $dir did not stop"; return 1; fi
  return 0
}

# pg_wait PORT [SECONDS=30]
pg_wait() {
  local port=${1:?pg_wait PORT} secs=${2:-30} bin i
  bin=$(pg_bin_dir) || return 1
  for ((i = 0; i < secs * 4; i++)); do
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -t 2 && return 0
    sleep 0.25
  done
  _pg_err "PostgreSQL on 127.0.0.1:$port not ready after ${secs}s"
  return 1
}

# pg_create_db PORT NAME: creates database NAME unless it exists.
pg_create_db() {
  local port=${1:?pg_create_db PORT NAME} name=${2:?name} bin exists
  if [[ ! $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then _pg_err "bad database name: $name"; return 1; fi
  bin=$(pg_bin_dir) || return 1
  local psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres)
  exists=$("${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname='$name'") || return 1
  [[ $exists == 1 ]] && return 0
  "${psql[@]}" -c "CREATE DATABASE \"$name\""
}

# port_in_use PORT: true when something listens on TCP PORT (any address).
port_in_use() {
  local port=${1:?port_in_use PORT} hex
  printf -v hex '%04X' "$port"
  if [[ -r /proc/net/tcp ]]; then
    cat /proc/net/tcp /proc/net/tcp6 2>/dev/null \
      | awk -v h=":$hex" '$4 == "0A" && substr($2, length($2) - 4) == h { found = 1 } END { exit !found }'
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
  fi
}
