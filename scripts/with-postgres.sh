#!/usr/bin/env bash
# Run a command against PostgreSQL: the one in DATABASE_URL, or else a throwaway cluster in a temp dir
# that is stopped and removed afterwards, whatever the command's outcome. PG_SETTINGS adds server settings to
# the throwaway cluster's, e.g. PG_SETTINGS="shared_buffers=1GB work_mem=8MB".
set -euo pipefail

if [ -n "${DATABASE_URL:-}" ]; then
  exec "$@"
fi

find_pg_bin() {
  local dir
  dir=$(pg_config --bindir 2>/dev/null || true)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

PGBIN=$(find_pg_bin)
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "PostgreSQL server binaries not found: installing Debian's postgresql package" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    PGBIN=$(find_pg_bin)
  fi
fi
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "No PostgreSQL server binaries (initdb, pg_ctl) found; install PostgreSQL or set DATABASE_URL." >&2
  exit 1
fi

PGTMP=$(mktemp -d /tmp/newsroom-pg.XXXXXX)
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# PostgreSQL refuses to run as root: run it as the postgres user (or nobody) when we are root.
as_pg() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  PGUSER_OS=postgres
  id "$PGUSER_OS" >/dev/null 2>&1 || PGUSER_OS=nobody
  chown "$PGUSER_OS" "$PGTMP"
  as_pg() { runuser -u "$PGUSER_OS" -- "$@"; }
fi

cleanup() {
  as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGTMP"
}
trap cleanup EXIT INT TERM

as_pg "$PGBIN/initdb" -D "$PGTMP/data" -U newsroom --auth=trust -E UTF8 --no-locale >"$PGTMP/initdb.log" 2>&1 \
  || { cat "$PGTMP/initdb.log" >&2; exit 1; }
# Durability is pointless for a throwaway test cluster; turning it off makes the suite much faster.
SETTINGS="-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
for setting in ${PG_SETTINGS:-}; do SETTINGS="$SETTINGS -c $setting"; done
as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 60 -o "-p $PGPORT -k $PGTMP $SETTINGS" \
  start >/dev/null || { cat "$PGTMP/server.log" >&2; exit 1; }
"$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U newsroom newsroom

export DATABASE_URL="postgres://newsroom@127.0.0.1:$PGPORT/newsroom"
echo "Throwaway PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGPORT" >&2
"$@"
