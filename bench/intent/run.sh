#!/usr/bin/env bash
# Benchmark P4: builds the service, starts it on a fresh database of the local PostgreSQL, seeds 10,000
# active intents and times 20-file declarations through HTTP. Usage: bench/intent/run.sh [declarations]
# WARMUP_DECLARATIONS (default 500) are made first, unmeasured; STIGMERGY_BENCH_JAVA_OPTS adds JVM options to the service
set -euo pipefail
cd "$(dirname "$0")/../.."
PG=${STIGMERGY_BENCH_PG:-jdbc:postgresql://127.0.0.1:5432/}
DB=${STIGMERGY_BENCH_DB:-stigmergy_bench_intent}
PORT=${STIGMERGY_BENCH_PORT:-18090}
TOKEN=bench-admin-token-not-a-secret
# PGPORT (psql's own variable) when STIGMERGY_BENCH_PG names another server, e.g. bench/latency/cluster.sh's 5497
psql -h 127.0.0.1 -U postgres -c "drop database if exists $DB" >/dev/null
psql -h 127.0.0.1 -U postgres -c "create database $DB" >/dev/null
# STIGMERGY_BENCH_LOG_STATEMENTS=1: PostgreSQL logs every statement of the bench database with its duration
[ -z "${STIGMERGY_BENCH_LOG_STATEMENTS:-}" ] \
  || psql -h 127.0.0.1 -U postgres -c "alter database $DB set log_min_duration_statement = 0" >/dev/null
# STIGMERGY_BENCH_APP: a copy of target/quarkus-app to measure (e.g. the branch point's, beside this build's)
APP=${STIGMERGY_BENCH_APP:-target/quarkus-app}
[ -f $APP/quarkus-run.jar ] || ./mvnw -q package -DskipTests
DRIVER=$(ls ~/.m2/repository/org/postgresql/postgresql/*/postgresql-*.jar | grep -v sources | tail -1)
QUARKUS_DATASOURCE_JDBC_URL="$PG$DB" QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_HTTP_PORT=$PORT \
  STIGMERGY_ADMIN_TOKEN=$TOKEN STIGMERGY_DATA_DIR=target/bench-data QUARKUS_LOG_LEVEL=WARN \
  java ${STIGMERGY_BENCH_JAVA_OPTS:-} -jar $APP/quarkus-run.jar > target/bench-intent-service-$PORT.log 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null && break; sleep 1; done
java -cp "$DRIVER" bench/intent/P4IntentBench.java "http://127.0.0.1:$PORT/" "$TOKEN" "$PG$DB" "${1:-300}"
