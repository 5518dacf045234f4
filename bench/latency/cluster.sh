#!/usr/bin/env bash
# A PostgreSQL 15 cluster of the benchmark's own under /tmp (port 5497), with pg_stat_statements loaded and fsync on,
# so that the shared server is never restarted or reconfigured. Usage: cluster.sh start|stop|autovacuum on|off
set -euo pipefail
DIR=${P12_CLUSTER_DIR:-/tmp/pg-latency}
BIN=/usr/lib/postgresql/15/bin
PORT=${P12_CLUSTER_PORT:-5497}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "${1:-start}" in
  start)
    if [ ! -d "$DIR/data" ]; then
      mkdir -p "$DIR"; [ "$(id -u)" = 0 ] && chown postgres "$DIR"
      as_pg $BIN/initdb -D "$DIR/data" -U postgres --auth=trust >/dev/null
      cat >> "$DIR/data/postgresql.conf" <<CONF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
pg_stat_statements.track_planning = on
fsync = on
synchronous_commit = on
max_connections = 200
CONF
    fi
    as_pg $BIN/pg_ctl -D "$DIR/data" -l "$DIR/log" -w start ;;
  stop) as_pg $BIN/pg_ctl -D "$DIR/data" -w stop ;;
  autovacuum)
    psql -h 127.0.0.1 -p "$PORT" -U postgres -qc "alter system set autovacuum = ${2:?on or off}" -c "select pg_reload_conf()" >/dev/null
    psql -h 127.0.0.1 -p "$PORT" -U postgres -tAc "show autovacuum" ;;
esac
