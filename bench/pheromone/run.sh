#!/usr/bin/env bash
# P2: builds the service, runs it on the scratch database stigmergy_bench_pheromone, and drives it with P2DepositBench.java.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres} PGPORT=${PGPORT:-5432}
# STIGMERGY_BENCH_APP: a copy of target/quarkus-app to measure (default the build's own)
APP=${STIGMERGY_BENCH_APP:-target/quarkus-app}
DB=${BENCH_DB:-stigmergy_bench_pheromone}
SECONDS_RUN=${SECONDS_RUN:-20}
SLICES=${SLICES:-4}   # the measured seconds alternate between HTTP and raw in this many slices each
WARMUP_SECONDS=${WARMUP_SECONDS:-60}   # HTTP warm-up before measuring: under this load the JIT still compiles at 45-60 s; the raw phases warm for 2 s
PORT=${PORT:-18391}
dropdb --if-exists "$DB" && createdb "$DB"   # Flyway migrates it at start
[ -f $APP/quarkus-run.jar ] || ./mvnw -q -o package -DskipTests
QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://$PGHOST:$PGPORT/$DB QUARKUS_HTTP_PORT=$PORT \
  STIGMERGY_ADMIN_TOKEN=p2-bench-admin STIGMERGY_DATA_DIR=$(mktemp -d) QUARKUS_LOG_LEVEL=WARN \
  java ${STIGMERGY_BENCH_JAVA_OPTS:-} -jar $APP/quarkus-run.jar > /tmp/p2-service.log 2>&1 &
SERVICE=$!
trap 'kill $SERVICE' EXIT
for i in $(seq 1 180); do curl -sf http://127.0.0.1:$PORT/q/health/ready > /dev/null && break; sleep 1; done
bench/cpu-sampler.sh $SERVICE "$DB" > /tmp/p2-cpu.txt &
# the service's own libraries hold the JDBC driver and the Vert.x HTTP client the load generator uses
java -cp "$APP/lib/main/*" bench/pheromone/P2DepositBench.java http://127.0.0.1:$PORT p2-bench-admin \
  jdbc:postgresql://$PGHOST:$PGPORT/$DB "$SECONDS_RUN" "$WARMUP_SECONDS" "$SLICES" | tee /tmp/p2-bench.txt
# CPU per deposit (per insert in the raw slices): the service JVM, the database's backends, the whole machine
grep '^phase ' /tmp/p2-bench.txt | bench/cpu-per-phase.sh /tmp/p2-cpu.txt deposit
