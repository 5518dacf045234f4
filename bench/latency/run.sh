#!/usr/bin/env bash
# Benchmark P12 (issue 30): the latency one agent feels. Builds the service if needed, starts it on a fresh database,
# runs P12LatencyBench.java (1 client sequential per operation beside raw JDBC at 1 connection, then 8 in flight beside raw at 8
# connections), stops the service.
# The database should be a PostgreSQL with shared_preload_libraries=pg_stat_statements, so that P12 can report the
# database's time and statements per call; bench/latency/cluster.sh starts one under /tmp (never the shared server).
# Usage: bench/latency/run.sh
# STIGMERGY_BENCH_PG (default jdbc:postgresql://127.0.0.1:5497/, cluster.sh's port), STIGMERGY_BENCH_DB,
# STIGMERGY_BENCH_JAVA_OPTS (e.g. -XX:StartFlightRecording=filename=/tmp/p12.jfr,settings=profile),
# CALLS, WARMUP_CALLS, DECLARATIONS, SECONDS, SLICES: see P12LatencyBench.java.
set -euo pipefail
cd "$(dirname "$0")/../.."
PG=${STIGMERGY_BENCH_PG:-jdbc:postgresql://127.0.0.1:5497/}
HOSTPORT=$(echo "$PG" | sed -E 's#jdbc:postgresql://([^:/]+):?([0-9]*)/.*#\1 \2#')
PGH=${HOSTPORT% *}; PGP=${HOSTPORT#* }; PGP=${PGP:-5432}
DB=${STIGMERGY_BENCH_DB:-stigmergy_bench_latency}
PORT=${STIGMERGY_BENCH_PORT:-18412}
TOKEN=bench-admin-token-not-a-secret
psql -h "$PGH" -p "$PGP" -U postgres -qc "drop database if exists $DB with (force)" -c "create database $DB" >/dev/null
# STIGMERGY_BENCH_APP: a copy of target/quarkus-app to measure, so that a build running meanwhile does not change
# the jar under the service
APP=${STIGMERGY_BENCH_APP:-target/quarkus-app}
[ -f $APP/quarkus-run.jar ] || ./mvnw -q -o package -DskipTests
QUARKUS_DATASOURCE_JDBC_URL="$PG$DB" QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_HTTP_PORT=$PORT \
  STIGMERGY_ADMIN_TOKEN=$TOKEN STIGMERGY_DATA_DIR=$(mktemp -d) QUARKUS_LOG_LEVEL=WARN \
  java ${STIGMERGY_BENCH_JAVA_OPTS:-} -jar $APP/quarkus-run.jar > /tmp/p12-service.log 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null && break; sleep 1; done
echo "P12 $(date -u +%FT%TZ), service ${STIGMERGY_BENCH_APP:-commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo '+changes')}, \
autovacuum $(psql -h "$PGH" -p "$PGP" -U postgres -tAc 'show autovacuum'), fsync $(psql -h "$PGH" -p "$PGP" -U postgres -tAc 'show fsync'), \
load $(cut -d' ' -f1-3 /proc/loadavg)"
bench/cpu-sampler.sh $SERVICE "$DB" > /tmp/p12-cpu.txt &
# the service's libraries: the JDBC driver and Vert.x's HTTP client
java -cp "$APP/lib/main/*" bench/latency/P12LatencyBench.java "http://127.0.0.1:$PORT" "$TOKEN" "$PG$DB" | tee /tmp/p12-out.txt
# CPU per call of each sequential phase: the service JVM, the database's backends, the whole machine
grep '^phase ' /tmp/p12-out.txt | bench/cpu-per-phase.sh /tmp/p12-cpu.txt call
echo "load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
