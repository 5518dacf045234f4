# Sourced by run.sh and tenfold.sh: the soak's own PostgreSQL 15 cluster (autovacuum on), never the shared server.
# Reads PGPORT and PGDIR; starts the cluster when nothing answers on PGPORT (initdb on first use) and sets
# STARTED_PG=1 then; soak_pg_stop stops it again unless it was already running or SOAK_KEEP_PG is set.
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else sh -c "$*"; fi; }
STARTED_PG=
if ! pg_isready -h 127.0.0.1 -p "$PGPORT" -q; then
  mkdir -p "$PGDIR"; [ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
  [ -f "$PGDIR/data/PG_VERSION" ] || as_pg "/usr/lib/postgresql/15/bin/initdb -D $PGDIR/data -U postgres --auth=trust -E UTF8 >/dev/null"
  as_pg "/usr/lib/postgresql/15/bin/pg_ctl -D $PGDIR/data -l $PGDIR/log -o '-p $PGPORT -k $PGDIR -c autovacuum=on -c max_connections=100' start >/dev/null"
  STARTED_PG=1
fi
soak_pg_stop() {
  if [ -n "$STARTED_PG" ] && [ -z "${SOAK_KEEP_PG:-}" ]; then as_pg "/usr/lib/postgresql/15/bin/pg_ctl -D $PGDIR/data stop -m fast >/dev/null"; fi
}
