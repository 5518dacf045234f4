#!/usr/bin/env bash
# Soak (issue 29): two replicas of the service on a PostgreSQL cluster of the soak's own (autovacuum on, port
# SOAK_PG_PORT, started under /tmp when nothing answers there), 200 simulated agents spread over both, retention on
# an accelerated clock (every age 120 s instead of 30 days, a run every 10 s), sampled every 60 s.
# Usage: bench/soak/run.sh [agents=200] [minutes=30]
# Writes bench/soak/results/<UTC timestamp>/{samples,sizes,host}.csv and the run's log; RESULTS.md summarises runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
AGENTS=${1:-200}
MINUTES=${2:-30}
PGPORT=${SOAK_PG_PORT:-55492}
PGDIR=${SOAK_PG_DIR:-/tmp/stigmergy-soak-pg}
DB=stigmergy_soak
TOKEN=soak-admin-token-not-a-secret
OUT=bench/soak/results/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
. bench/soak/pg.sh
psql -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "drop database if exists $DB with (force)" -c "create database $DB"
# SOAK_APP: a copy of target/quarkus-app, so that a build may run meanwhile (its lib/main also feeds S1SoakBench.java)
APP=${SOAK_APP:-target/quarkus-app}
[ -f "$APP/quarkus-run.jar" ] || ./mvnw -q -o package -DskipTests
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  soak_pg_stop
}
trap cleanup EXIT
for PORT in 18191 18192; do
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PGPORT/$DB" QUARKUS_DATASOURCE_JDBC_MAX_SIZE=8 \
    QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_HTTP_PORT=$PORT STIGMERGY_ADMIN_TOKEN=$TOKEN \
    STIGMERGY_DATA_DIR=target/soak-data-$PORT QUARKUS_LOG_LEVEL=WARN \
    STIGMERGY_RETENTION_EVENT_AGE=120s STIGMERGY_RETENTION_ENDED_HOLD_AGE=120s STIGMERGY_RETENTION_VERDICT_AGE=120s \
    STIGMERGY_RETENTION_EVERY=10s STIGMERGY_PHEROMONE_SWEEP_EVERY=10s \
    java -Xmx512m ${SOAK_JAVA_OPTS:-} -jar "$APP/quarkus-run.jar" > "$OUT/service-$PORT.log" 2>&1 &
  PIDS+=($!)
  # one at a time: both would run Flyway on the empty database at once
  for _ in $(seq 1 180); do curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null && break; sleep 1; done
done
SOAK_PIDS="${PIDS[0]},${PIDS[1]}" java -cp "$APP/lib/main/*" bench/soak/S1SoakBench.java \
  "http://127.0.0.1:18191,http://127.0.0.1:18192" "$TOKEN" "jdbc:postgresql://127.0.0.1:$PGPORT/$DB" "$AGENTS" "$MINUTES" "$OUT" \
  2> "$OUT/soak-errors.log" | tee "$OUT/soak.log"
echo "results in $OUT"
