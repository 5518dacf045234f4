#!/usr/bin/env bash
# Ready-query benchmark (issue 27, beside P3): GET /environments/bench/ready through HTTP on the packaged service,
# over 100,000 entities, 1,000,000 pheromones, 10,000 live locks and 10,000 depends-on links in one environment.
# Builds the service when its jar is missing, starts it on a fresh database of the local PostgreSQL (Flyway makes the
# schema), seeds the rows set-based with psql, then times sequential calls on one kept-alive connection with curl.
# Usage: bench/ready/run.sh   (CALLS, default 1000, per query shape; STIGMERGY_BENCH_DB, default stigmergy_bench_ready)
set -euo pipefail
cd "$(dirname "$0")/../.."
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
DB=${STIGMERGY_BENCH_DB:-stigmergy_bench_ready}
CALLS=${CALLS:-1000}
TOKEN=bench-admin-token-not-a-secret
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
OUT=$(mktemp -d)

dropdb --if-exists "$DB" && createdb "$DB"
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -o package -DskipTests
QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$DB" QUARKUS_DATASOURCE_USERNAME=postgres \
  QUARKUS_HTTP_PORT=$PORT STIGMERGY_ADMIN_TOKEN=$TOKEN STIGMERGY_DATA_DIR=target/bench-ready-data QUARKUS_LOG_LEVEL=WARN \
  java -jar target/quarkus-app/quarkus-run.jar > target/bench-ready-service.log 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/q/health/ready" > /dev/null && break; sleep 1; done

NOW=$(date -u +%Y-%m-%dT%H:%M:%S.000000Z)
echo "seeding at $NOW"
start=$(date +%s.%N)
# one transaction that first locks the pheromone table: the running service's sweep waits instead of recomputing
# aggregates under the seed
psql -q -v ON_ERROR_STOP=1 -1 -d "$DB" <<SQL
lock table pheromone in exclusive mode;
insert into environment (name, created_at, created_by) values ('bench', '$NOW', 'bench');
insert into signal_type (name, display_name, decay_kind, ttl_seconds, created_at, created_by)
values ('completion.bench', 'Bench done', 'EXPIRY', 86400, '$NOW', 'bench');
-- entities created one second apart over the last 28 hours: age breaks ties
insert into entity (kind, key, environment, title, status, created_at, created_by, updated_at)
select 'job', 'JOB-' || g, 'bench', 'Job ' || g, 'open', timestamptz '$NOW' - (100001 - g) * interval '1 second',
       'bench', '$NOW' from generate_series(1, 100000) g;
-- 10 pheromones per entity, each drawing its own intensity and time, all visible for 15 minutes after the seed
-- (workingonit and takeup_interest at 10, the most, deposited over the last 2 and 10 minutes; the rest over the
-- last hour):
--   entities with an odd id: 3 importance (EXPIRY 30 days, 0.5-10 each) + 3 saturation + 2 workingonit + 2 takeup_interest
--   entities with an even id: no importance, 4 saturation + 3 workingonit + 3 takeup_interest
--   saturation 0.3-1.0 per deposit: sums of 3-4 (decayed) reach 2.5 on some entities
-- then on top of those 1,000,000: every 10th entity is done (completion.bench) and every 25th task_not_ready,
-- each replacing one takeup_interest row so the total stays 1,000,000.
alter table pheromone disable trigger user;
insert into pheromone (entity_id, entity_kind, entity_key, environment, type, agent, intensity, deposited_at,
                       created_at, half_life_seconds, visible_until, rank_key)
select s.id, 'job', s.key, 'bench', s.type, 'agent-' || s.a, s.v, s.at, s.at, s.h,
       case when s.h is not null then s.at + s.h * log(2, (s.v / 0.05)::numeric) * interval '1 second'
            else s.at + interval '30 days' end,
       case when s.h is not null then log(2, s.v::numeric) + extract(epoch from s.at) / s.h end
  from (select e.id, e.key, t.type, a,
               case when t.type = 'importance' then 0.5 + 9.5 * random()
                    when t.type = 'saturation' then 0.3 + 0.7 * random() else 10.0 end as v,
               case t.type when 'saturation' then 1800 when 'workingonit' then 120 when 'takeup_interest' then 300 end as h,
               timestamptz '$NOW' - random() * case t.type when 'workingonit' then interval '2 minutes'
                                                    when 'takeup_interest' then interval '10 minutes'
                                                    else interval '1 hour' end as at
          from entity e
         cross join lateral (select * from (values ('importance', 3, 0), ('saturation', 3, 4), ('workingonit', 2, 3),
                                                    ('takeup_interest', 2, 3)) v(type, odd, even)) t
         cross join lateral generate_series(1, case when e.id % 2 = 1 then t.odd else t.even end) a
         where e.environment = 'bench') s;
delete from pheromone where type = 'takeup_interest' and agent = 'agent-1' and entity_id % 10 = 0;
insert into pheromone (entity_id, entity_kind, entity_key, environment, type, agent, intensity, deposited_at,
                       created_at, visible_until)
select id, 'job', key, 'bench', 'completion.bench', 'agent-1', 1.0, '$NOW', '$NOW', timestamptz '$NOW' + interval '1 day'
  from entity where id % 10 = 0;
delete from pheromone where type = 'takeup_interest' and agent = 'agent-1' and entity_id % 25 = 0 and entity_id % 10 <> 0;
delete from pheromone where type = 'takeup_interest' and agent = 'agent-2' and entity_id % 50 = 0;
insert into pheromone (entity_id, entity_kind, entity_key, environment, type, agent, intensity, deposited_at,
                       created_at, visible_until)
select id, 'job', key, 'bench', 'task_not_ready', 'agent-1', 1.0, '$NOW', '$NOW', timestamptz '$NOW' + interval '1 day'
  from entity where id % 25 = 0;
alter table pheromone enable trigger user;
delete from pheromone_aggregate;
-- the aggregate built set-based, as V55 does for existing rows (the per-statement trigger loops per pair)
insert into pheromone_aggregate (entity_id, type, entity_kind, entity_key, environment, bound_key)
select entity_id, type, min(entity_kind), min(entity_key), min(environment), m + ln(sum(power(2.0, term - m))) / ln(2.0)
  from (select p.entity_id, p.type, p.entity_kind, p.entity_key, p.environment, b.term,
               max(b.term) over (partition by p.entity_id, p.type) as m
          from pheromone p join signal_type t on t.name = p.type
         cross join lateral (select pheromone_bound_term(t.decay_kind, t.half_life_seconds, t.max_intensity,
                                    p.intensity, p.deposited_at, p.half_life_seconds, p.visible_until) as term) b) s
 where term is not null
 group by entity_id, type, m;
-- 10,000 live locks held by 100 other agents, on random entities
insert into entity_lock (entity_id, entity, environment, holder, fencing_token, lease_seconds, acquired_at, expires_at)
select e.id, 'job/' || e.key, 'bench', 'holder-' || (e.id % 100), nextval('fencing_token_seq'), 3600, '$NOW',
       timestamptz '$NOW' + interval '1 hour'
  from (select id, key from entity order by random() limit 10000) e;
-- 10,000 depends-on links: a random entity waits for the one created just before it
insert into entity_dependency (entity_id, depends_on_id, environment, entity, depends_on, created_at, created_by)
select e.id, e.id - 1, 'bench', 'job/' || e.key, 'job/JOB-' || (e.id - 1), '$NOW', 'bench'
  from (select id, key from entity where id > 1 order by random() limit 10000) e;
SQL
psql -q -d "$DB" -c "analyze"
echo "seed took $(echo "$(date +%s.%N) - $start" | bc) s"
psql -tA -d "$DB" -c "select count(*) || ' entities' from entity"
psql -tA -d "$DB" -c "select count(*) || ' pheromones, ' || count(*) filter (where visible_until > '$NOW' or visible_until is null) || ' visible at the seed instant' from pheromone"
psql -tA -d "$DB" -c "select count(*) || ' live locks' from entity_lock where expires_at > '$NOW'"
psql -tA -d "$DB" -c "select count(*) || ' dependencies' from entity_dependency"

WORKER=$(curl -sf -X POST "http://127.0.0.1:$PORT/agents" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"id":"bench-worker","displayName":"Bench worker","roles":["worker"]}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
BASE="http://127.0.0.1:$PORT/environments/bench/ready"
SECOND=$(curl -sf "$BASE?limit=20" -H "Authorization: Bearer $WORKER" | python3 -c 'import json,sys; print(json.load(sys.stdin)["nextAfter"])')
curl -sf "$BASE?limit=3" -H "Authorization: Bearer $WORKER" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), indent=1)[:3000])'

percentiles() { sort -n | awk '{a[NR]=$1} END {
    printf "p50 %.2f ms, p99 %.2f ms, max %.2f ms (n=%d)\n", a[int(NR*0.5)]*1000, a[int(NR*0.99)]*1000, a[NR]*1000, NR}'; }
measure() { # name, URL: CALLS sequential calls on one kept-alive connection; the first 100 calls warm up and are dropped
  local urls=()
  for _ in $(seq 1 $((CALLS + 100))); do urls+=(-o /dev/null "$2"); done
  curl -sf -H "Authorization: Bearer $WORKER" -w '%{time_total}\n' "${urls[@]}" | tail -n "$CALLS" > "$OUT/$1.txt"
  echo "ready $1: $(percentiles < "$OUT/$1.txt")"
}
measure first_page_20 "$BASE?limit=20"
measure first_page_100 "$BASE?limit=100"
measure second_page_20 "$BASE?limit=20&after=$SECOND"
measure kind_job_20 "$BASE?limit=20&kind=job"
# same-run baseline: a call that reads no row (the caller's own agent) through the same HTTP path and token
measure baseline_agents_me "http://127.0.0.1:$PORT/agents/me"
