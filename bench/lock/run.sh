#!/usr/bin/env bash
# Benchmark P1: builds the service, starts it on a fresh database of the local PostgreSQL, runs P1LockBench
# (HTTP and the service's two statements over JDBC in alternating slices, then a minimal lock pair over JDBC, in the
# same run), stops the service.
# Usage: bench/lock/run.sh [clients] [seconds] [entities]
# SLICES (default 4): the measured seconds alternate between HTTP and raw in this many slices each.
# WARMUP_SECONDS (default 150): HTTP load before measuring, until the service's JIT has settled.
# STIGMERGY_BENCH_JAVA_OPTS adds JVM options to the service, e.g. -XX:StartFlightRecording=filename=target/p1.jfr
set -euo pipefail
cd "$(dirname "$0")/../.."
PG=${STIGMERGY_BENCH_PG:-jdbc:postgresql://127.0.0.1:5432/}
DB=${STIGMERGY_BENCH_DB:-stigmergy_bench_lock}
PORT=${STIGMERGY_BENCH_PORT:-18089}
TOKEN=bench-admin-token-not-a-secret
psql -h 127.0.0.1 -U postgres -tc "select 1 from pg_database where datname = '$DB'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -c "create database $DB"
# STIGMERGY_BENCH_APP: a copy of target/quarkus-app to measure (default the build's own)
APP=${STIGMERGY_BENCH_APP:-target/quarkus-app}
[ -f $APP/quarkus-run.jar ] || ./mvnw -q -o package -DskipTests
# the service's libraries: the PostgreSQL driver and the Vert.x HTTP client the load generator writes with
CP="$APP/lib/main/*"
# the service's connection pool size (QUARKUS_DATASOURCE_JDBC_MAX_SIZE overrides it); the JDBC phases use as many
POOL=${QUARKUS_DATASOURCE_JDBC_MAX_SIZE:-$(sed -n 's/^quarkus.datasource.jdbc.max-size=//p' src/main/resources/application.properties)}
QUARKUS_DATASOURCE_JDBC_URL="$PG$DB" QUARKUS_DATASOURCE_JDBC_MAX_SIZE=$POOL QUARKUS_DATASOURCE_USERNAME=postgres \
  QUARKUS_HTTP_PORT=$PORT \
  STIGMERGY_ADMIN_TOKEN=$TOKEN STIGMERGY_DATA_DIR=target/bench-data QUARKUS_LOG_LEVEL=WARN \
  java ${STIGMERGY_BENCH_JAVA_OPTS:-} -jar $APP/quarkus-run.jar > target/bench-service.log 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null && break; sleep 1; done
bench/cpu-sampler.sh $SERVICE "$DB" > target/bench-cpu.txt &
java -cp "$CP" bench/lock/P1LockBench.java "http://127.0.0.1:$PORT/" "$TOKEN" "$PG$DB" "${1:-32}" "${2:-20}" "${3:-1000}" "$POOL" \
  | tee target/bench-lock.txt
# CPU spent per cycle in each phase: service JVM, the database's backends, the whole machine
grep '^phase ' target/bench-lock.txt | bench/cpu-per-phase.sh target/bench-cpu.txt
