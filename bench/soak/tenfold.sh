#!/usr/bin/env bash
# Ten times the agents (issue 29): one replica of the service on a PostgreSQL cluster of its own (as run.sh: port
# SOAK_PG_PORT, started under /tmp when nothing answers there), 2,000 registered agents, 1,000 event streams open
# on the replica, 200 heartbeats/s; see S2TenfoldBench.java for what is measured and how.
# Usage: bench/soak/tenfold.sh [agents=2000] [streams=1000] [heartbeats/s=200] [updates/s=5] [phase seconds=60]
# Writes bench/soak/results/<UTC timestamp>-tenfold/{tenfold.txt,load.txt,service.log}.
set -euo pipefail
cd "$(dirname "$0")/../.."
AGENTS=${1:-2000}; STREAMS=${2:-1000}; BEATS=${3:-200}; UPDATES=${4:-5}; PHASE=${5:-60}
PGPORT=${SOAK_PG_PORT:-55492}
PGDIR=${SOAK_PG_DIR:-/tmp/stigmergy-soak-pg}
DB=stigmergy_tenfold
TOKEN=tenfold-admin-token-not-a-secret
OUT=bench/soak/results/$(date -u +%Y%m%dT%H%M%SZ)-tenfold
mkdir -p "$OUT"
. bench/soak/pg.sh
psql -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "drop database if exists $DB with (force)" -c "create database $DB"
APP=${SOAK_APP:-target/quarkus-app}
[ -f "$APP/quarkus-run.jar" ] || ./mvnw -q -o package -DskipTests
SERVICE=
LOADLOG=
cleanup() {
  [ -n "$SERVICE" ] && kill "$SERVICE" 2>/dev/null || true
  [ -n "$LOADLOG" ] && kill "$LOADLOG" 2>/dev/null || true
  soak_pg_stop
}
trap cleanup EXIT
PORT=18193
QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PGPORT/$DB" \
  QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_HTTP_PORT=$PORT STIGMERGY_ADMIN_TOKEN=$TOKEN \
  STIGMERGY_DATA_DIR=target/tenfold-data QUARKUS_LOG_LEVEL=WARN \
  java -Xmx1g ${SOAK_JAVA_OPTS:-} -jar "$APP/quarkus-run.jar" > "$OUT/service.log" 2>&1 &
SERVICE=$!
for _ in $(seq 1 180); do curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null && break; sleep 1; done
# the machine's load beside the figures
(while true; do echo "$(date -u +%H:%M:%S) $(cat /proc/loadavg)"; sleep 15; done) > "$OUT/load.txt" &
LOADLOG=$!
POSTMASTER=$(head -1 "$PGDIR/data/postmaster.pid")
java -cp "$APP/lib/main/*" bench/soak/S2TenfoldBench.java "http://127.0.0.1:$PORT" "$TOKEN" "$SERVICE" "$POSTMASTER" \
  "$AGENTS" "$STREAMS" "$BEATS" "$UPDATES" "$PHASE" "$OUT" 2> "$OUT/errors.log" | tee "$OUT/tenfold.log"
echo "results in $OUT"
