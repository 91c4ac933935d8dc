#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks, on 127.0.0.1.
#
#   scripts/postgres.sh start DIR PORT   initdb in DIR/data (first time only) and start the
#                                        server; prints KEY=VALUE lines (URL, PORT, USER, DATABASE)
#   scripts/postgres.sh stop DIR         stop it fast (DIR stays, so start resumes it)
#
# The binaries are called directly from /usr/lib/postgresql/*/bin (the newest), which skips
# Debian's `main` cluster. initdb refuses root, so as root the cluster runs as the `postgres`
# user. Trust authentication for the superuser `overstap`, on 127.0.0.1 and a socket in DIR
# only; fsync off, since the data is thrown away.
set -euo pipefail

die() { echo "postgres.sh: $*" >&2; exit 1; }

bin_dir() {
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  [ -n "$found" ] && [ -x "$found/initdb" ] || die "PostgreSQL is not installed (run scripts/install-test-deps.sh)"
  echo "$found"
}

# Runs a command as the cluster's owner: `postgres` when we are root, else ourselves.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  local dir="${1:?DIR}" port="${2:?PORT}" bin
  bin="$(bin_dir)"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; fi
  chmod 700 "$dir"
  if [ ! -d "$dir/data" ]; then
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U overstap --no-sync -E UTF8 \
      >"$dir/initdb.log" 2>&1 || die "initdb failed: $(tail -5 "$dir/initdb.log")"
  fi
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 start -o \
    "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    >/dev/null 2>&1 || die "the server did not start: $(tail -5 "$dir/log" 2>/dev/null)"
  echo "URL=postgres://overstap@127.0.0.1:$port/postgres"
  echo "PORT=$port"
  echo "USER=overstap"
  echo "DATABASE=postgres"
}

stop() {
  local dir="${1:?DIR}" bin
  [ -f "$dir/data/postmaster.pid" ] || return 0
  bin="$(bin_dir)"
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) die "usage: postgres.sh start DIR PORT | stop DIR" ;;
esac
