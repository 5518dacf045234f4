#!/usr/bin/env bash
# Samples what the soak's database sessions do, for finding contention (issue 29): every INTERVAL seconds, each
# client session of DB with its state, wait event, transaction age and statement, and for each session waiting on
# a lock the sessions blocking it with their statements. Runs until killed.
# Usage: bench/soak/activity.sh PGPORT OUT_DIR [interval seconds=2] [db=stigmergy_soak]
set -euo pipefail
PGPORT=$1
OUT=$2
INTERVAL=${3:-2}
DB=${4:-stigmergy_soak}
mkdir -p "$OUT"
Q() { psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d "$DB" -XAtF $'\t' -c "$1"; }
while true; do
  Q "select to_char(now() at time zone 'utc','HH24:MI:SS'), pid, state, coalesce(wait_event_type,''), coalesce(wait_event,''),
            coalesce(round(extract(epoch from now() - xact_start)*1000)::text,''),
            coalesce(round(extract(epoch from now() - state_change)*1000)::text,''),
            regexp_replace(left(query, 120), '\s+', ' ', 'g')
       from pg_stat_activity where datname = '$DB' and pid <> pg_backend_pid() and backend_type = 'client backend'" \
    >> "$OUT/activity.tsv" 2>/dev/null || true
  Q "select to_char(now() at time zone 'utc','HH24:MI:SS'), w.pid, round(extract(epoch from now() - w.query_start)*1000),
            regexp_replace(left(w.query, 80), '\s+', ' ', 'g'), b.pid, b.state,
            round(extract(epoch from now() - b.xact_start)*1000), regexp_replace(left(b.query, 120), '\s+', ' ', 'g')
       from pg_stat_activity w cross join lateral unnest(pg_blocking_pids(w.pid)) as bp(pid)
       join pg_stat_activity b on b.pid = bp.pid
      where w.datname = '$DB' and w.wait_event_type = 'Lock'" >> "$OUT/blocked.tsv" 2>/dev/null || true
  sleep "$INTERVAL"
done
