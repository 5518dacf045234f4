#!/usr/bin/env bash
# Benchmark beside P1 (issue 25): acquire_lock + release_lock through MCP vs the REST pair, same run, same
# service. Builds the service when needed, starts it on a database of the local PostgreSQL, runs P1McpBench, stops it.
# Usage: bench/mcp/run.sh [clients] [seconds per slice] [slices]; WARMUP_SECONDS (default 60) before measuring.
set -euo pipefail
cd "$(dirname "$0")/../.."
PG=${STIGMERGY_BENCH_PG:-jdbc:postgresql://127.0.0.1:5432/}
DB=${STIGMERGY_BENCH_DB:-stigmergy_bench_mcp}
PORT=${STIGMERGY_BENCH_PORT:-18091}
TOKEN=bench-admin-token-not-a-secret
psql -h 127.0.0.1 -U postgres -tc "select 1 from pg_database where datname = '$DB'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -c "create database $DB"
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -o package -DskipTests
QUARKUS_DATASOURCE_JDBC_URL="$PG$DB" QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_HTTP_PORT=$PORT \
  STIGMERGY_ADMIN_TOKEN=$TOKEN STIGMERGY_DATA_DIR=target/bench-data-mcp QUARKUS_LOG_LEVEL=WARN \
  java -jar target/quarkus-app/quarkus-run.jar > target/bench-mcp-service.log 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null && break; sleep 1; done
java -cp "target/quarkus-app/lib/main/*" bench/mcp/P1McpBench.java "http://127.0.0.1:$PORT/" "$TOKEN" \
  "${1:-8}" "${2:-15}" "${3:-4}" | tee target/bench-mcp.txt
