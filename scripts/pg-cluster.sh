#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: `scripts/pg-cluster.sh start DIR` makes DIR (data directory and
# socket directory inside it), starts a server listening only on its Unix socket in DIR/socket (no TCP), creates
# the database `tenure`, and prints the libpq URI; `scripts/pg-cluster.sh stop DIR` stops it and removes DIR.
# initdb refuses to run as root, so as root the server runs as the `postgres` user. Debian's `postgresql`
# package provides the binaries (make deps installs it).
set -euo pipefail
action=${1:?usage: pg-cluster.sh start|stop DIR}
dir=${2:?usage: pg-cluster.sh start|stop DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "pg-cluster.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$action" in
start)
  mkdir -p "$dir/socket"
  [ "$(id -u)" = 0 ] && chown -R postgres: "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U tenure -A trust --no-sync -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -k $dir/socket -c fsync=off -c full_page_writes=off" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  as_owner "$bin/createdb" -h "$dir/socket" -U tenure tenure
  echo "postgresql://tenure@/tenure?host=$dir/socket"
  ;;
stop)
  if [ -d "$dir/data" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir"
  ;;
*) echo "usage: pg-cluster.sh start|stop DIR" >&2; exit 64 ;;
esac
