#!/usr/bin/env bash
# Ranking for every decay kind (issue 30): starts the service on a fresh database, seeds ~1,000,000 pheromones of
# each of four types (EXPIRY, EXPONENTIAL with and without floor, REINFORCEMENT_ONLY) on 100,000 entities and times
# the top 50 through HTTP while deposits run (P12RankingBench.java). Same settings as run.sh (STIGMERGY_BENCH_PG defaults to
# cluster.sh's port; STIGMERGY_BENCH_APP; RANKINGS, DEPOSITORS, QUERY). STIGMERGY_BENCH_SEED_DB=NAME keeps a copy of the
# seeded database under NAME (seeding takes minutes) and, when NAME exists, starts every later run from a fresh copy of
# it instead of seeding: two builds can then be measured on the same data.
# STIGMERGY_BENCH_COMMIT names the build of APP in the header (default: this checkout's HEAD).
set -euo pipefail
cd "$(dirname "$0")/../.."
PG=${STIGMERGY_BENCH_PG:-jdbc:postgresql://127.0.0.1:5497/}
HOSTPORT=$(echo "$PG" | sed -E 's#jdbc:postgresql://([^:/]+):?([0-9]*)/.*#\1 \2#')
PGH=${HOSTPORT% *}; PGP=${HOSTPORT#* }; PGP=${PGP:-5432}
DB=${STIGMERGY_BENCH_DB:-stigmergy_bench_ranking}
PORT=${STIGMERGY_BENCH_PORT:-18413}
TOKEN=bench-admin-token-not-a-secret
APP=${STIGMERGY_BENCH_APP:-target/quarkus-app}
SEED_DB=${STIGMERGY_BENCH_SEED_DB:-}
SQL() { psql -h "$PGH" -p "$PGP" -U postgres -qc "$@" >/dev/null; }
exists() { [ -n "$1" ] && [ "$(psql -h "$PGH" -p "$PGP" -U postgres -tAc "select count(*) from pg_database where datname = '$1'")" = 1 ]; }
SQL "drop database if exists $DB with (force)"
if exists "$SEED_DB"; then SQL "create database $DB template $SEED_DB"; else SQL "create database $DB"; fi
[ -f $APP/quarkus-run.jar ] || ./mvnw -q -o package -DskipTests
SERVICE=
trap '[ -z "$SERVICE" ] || kill $SERVICE 2>/dev/null || true' EXIT
start() {
  QUARKUS_DATASOURCE_JDBC_URL="$PG$DB" QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_HTTP_PORT=$PORT \
    STIGMERGY_ADMIN_TOKEN=$TOKEN STIGMERGY_DATA_DIR=$(mktemp -d) QUARKUS_LOG_LEVEL=WARN \
    java ${STIGMERGY_BENCH_JAVA_OPTS:-} -jar $APP/quarkus-run.jar > /tmp/ranking-service-$PORT.log 2>&1 &
  SERVICE=$!
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null && break; sleep 1; done
}
start
if [ -n "$SEED_DB" ] && ! exists "$SEED_DB"; then
  SEED_ONLY=1 java -cp "$APP/lib/main/*" bench/latency/P12RankingBench.java "http://127.0.0.1:$PORT" "$TOKEN" "$PG$DB"
  kill $SERVICE; wait $SERVICE || true
  SQL "create database $SEED_DB template $DB"
  start
fi
echo "ranking $(date -u +%FT%TZ), commit ${STIGMERGY_BENCH_COMMIT:-$(git rev-parse --short HEAD)} ($APP), \
autovacuum $(psql -h "$PGH" -p "$PGP" -U postgres -tAc 'show autovacuum'), load $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$APP/lib/main/*" bench/latency/P12RankingBench.java "http://127.0.0.1:$PORT" "$TOKEN" "$PG$DB"
echo "load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
