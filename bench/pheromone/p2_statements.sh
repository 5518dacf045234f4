#!/usr/bin/env bash
# P2 companion: counts the SQL statements the service sends for one first deposit and one repeat deposit
# (Hibernate's SQL log, which covers native queries too, one `[Hibernate]` line per statement; triggers run inside their statement and are not counted).
# Usage: bench/pheromone/p2_statements.sh   (needs target/quarkus-app built; DB $BENCH_DB)
set -euo pipefail
cd "$(dirname "$0")/../.."
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
DB=${BENCH_DB:-stigmergy_bench_pheromone_sql}
PORT=${PORT:-18392}
LOG=${LOG:-$(mktemp)}
dropdb --if-exists "$DB" && createdb "$DB"
QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$DB QUARKUS_HTTP_PORT=$PORT \
  STIGMERGY_ADMIN_TOKEN=p2-bench-admin STIGMERGY_DATA_DIR=$(mktemp -d) QUARKUS_LOG_LEVEL=INFO \
  QUARKUS_HIBERNATE_ORM_LOG_SQL=true QUARKUS_HIBERNATE_ORM_LOG_FORMAT_SQL=false \
  java -jar target/quarkus-app/quarkus-run.jar > "$LOG" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE' EXIT
for i in $(seq 1 90); do curl -sf http://127.0.0.1:$PORT/q/health/ready > /dev/null && break; sleep 1; done
A="Authorization: Bearer p2-bench-admin"
J="Content-Type: application/json"
curl -sf -H "$A" -H "$J" -d '{"name":"p2sql"}' http://127.0.0.1:$PORT/environments > /dev/null
curl -sf -X PUT -H "$A" -H "$J" -d '{"environment":"p2sql","title":"p2"}' http://127.0.0.1:$PORT/entities/job/P2SQL-1 > /dev/null
TOKEN=$(curl -sf -H "$A" -H "$J" -d '{"id":"p2sql-agent","displayName":"p2","roles":["agent"]}' \
  http://127.0.0.1:$PORT/agents | sed 's/.*"token" *: *"\([^"]*\)".*/\1/')
deposit() {
  curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" -H "$J" -d '{"type":"saturation","intensity":1.0}' \
    http://127.0.0.1:$PORT/entities/job/P2SQL-1/pheromones
}
sql() { sed 's/\x1b\[[0-9;]*m//g' "$LOG" | grep '\[Hibernate\]' | grep -v 'from event e1_0 where e1_0.id>' || true; }
count() { sql | wc -l; } # (the event poll of the SSE relay runs beside requests: not counted)
deposit; deposit # warm caches and the agent's first authentication
rb=$(count); deposit; sleep 1; repeat=$(( $(count) - rb ))
curl -sf -X PUT -H "$A" -H "$J" -d '{"environment":"p2sql","title":"p2"}' http://127.0.0.1:$PORT/entities/job/P2SQL-2 > /dev/null
sleep 1
before=$(count)
curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" -H "$J" -d '{"type":"saturation","intensity":1.0}' \
  http://127.0.0.1:$PORT/entities/job/P2SQL-2/pheromones
sleep 1; first=$(( $(count) - before ))
echo "P2 statements per HTTP deposit (Hibernate's log; each deposit's event is inserted by its writing statement): first on an entity not yet cached $first, repeat $repeat"
echo "--- the repeat deposit's statements"
sql | sed -n "$(( rb + 1 )),$(( rb + repeat ))p" | cut -c1-140
