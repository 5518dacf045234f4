#!/usr/bin/env bash
# Benchmark P7 (issue 6): two replicas of the packaged service on one PostgreSQL, 20 subscribers spread over
# both, 500 events/s written through both. Usage: bench/event/run.sh [seconds] [eventsPerSecond] [subscribers]
# WARMUP_SECONDS (default 60, as P1 and P2): the same load first, on an environment of its own, not measured; after
# 30 s the C2 JIT still took a fifth of a replica's CPU in the measured phase.
# STIGMERGY_BENCH_JAVA_OPTS adds JVM options to both replicas, PORT in them replaced by the replica's port.
# STIGMERGY_BENCH_CLIENT_OPTS adds JVM options to the load generator.
# QUARKUS_DATASOURCE_JDBC_MAX_SIZE (default 8): each replica's connection pool; the two share the 16 connections a
# single process has by default (application.properties).
# Needs the packaged jar (./mvnw package -DskipTests) and PostgreSQL on 127.0.0.1:5432 (user postgres, trust).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-30}; rate=${2:-500}; subscribers=${3:-20}
db=${STIGMERGY_BENCH_DB:-stigmergy_bench_event}
jar=target/quarkus-app/quarkus-run.jar
[ -f "$jar" ] || ./mvnw -q package -DskipTests
psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname = '$db'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -qc "create database $db"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
for port in 18181 18182; do
  mkdir -p "target/bench-event-$port"
  opts=${STIGMERGY_BENCH_JAVA_OPTS:-}
  QUARKUS_HTTP_PORT=$port QUARKUS_DATASOURCE_JDBC_MAX_SIZE=${QUARKUS_DATASOURCE_JDBC_MAX_SIZE:-8} \
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$db" \
    STIGMERGY_ADMIN_TOKEN=bench-admin STIGMERGY_DATA_DIR="$PWD/target/bench-event-$port" \
    java ${opts//PORT/$port} -jar "$jar" > "target/bench-event-$port/service.log" 2>&1 &
  pids+=($!)
done
for port in 18181 18182; do
  until curl -sf "http://127.0.0.1:$port/q/health/ready" > /dev/null; do sleep 1; done
done
# commit -> received needs PostgreSQL's commit timestamps (track_commit_timestamp = on, a server restart);
# without them only the upper bound from occurredAt is reported
# the service's own libraries hold the JDBC driver and the Vert.x HTTP client the load generator writes with
java ${STIGMERGY_BENCH_CLIENT_OPTS:-} -cp 'target/quarkus-app/lib/main/*' bench/event/P7EventStreamBench.java http://127.0.0.1:18181 http://127.0.0.1:18182 bench-admin \
  "$seconds" "$rate" "$subscribers" "jdbc:postgresql://127.0.0.1:5432/$db"
