#!/usr/bin/env bash
# P3 (sensing latency over 1,000,000 live pheromones on 100,000 entities) and P5 (rows written by a sweep
# while nothing has evaporated), run against the service's own SQL on a scratch database.
# Usage: bench/pheromone/p3_p5.sh   (PGHOST/PGUSER default to 127.0.0.1/postgres; DB stigmergy_bench_pheromone)
set -euo pipefail
cd "$(dirname "$0")"
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
DB=${BENCH_DB:-stigmergy_bench_pheromone}
RUNS=${RUNS:-200}
MIG=../../src/main/resources/db/migration
OUT=$(mktemp -d)

dropdb --if-exists "$DB" && createdb "$DB"
for f in $(ls $MIG/V*.sql | sort -V); do psql -q -v ON_ERROR_STOP=1 -d "$DB" -f "$f" > /dev/null; done

NOW=$(date -u +%Y-%m-%dT%H:%M:%S.000000Z)
echo "seeding at $NOW"
psql -q -v ON_ERROR_STOP=1 -d "$DB" <<SQL
insert into environment (name, created_at, created_by) values ('bench', '$NOW', 'bench');
insert into entity (kind, key, environment, title, status, created_at, created_by, updated_at)
select 'job', 'JOB-' || g, 'bench', 'Job ' || g, 'open', '$NOW', 'bench', '$NOW' from generate_series(1, 100000) g;
-- 10 pheromones per entity: 5 importance (EXPIRY, 30 days) + 5 saturation (EXPONENTIAL, 1800 s, floor 0.05),
-- deposited over the last hour with intensities 0.5-10, all still visible at NOW
insert into pheromone (entity_id, entity_kind, entity_key, environment, type, agent, intensity, deposited_at,
                       created_at, half_life_seconds, visible_until, rank_key)
select e.id, 'job', e.key, 'bench', t.type, 'agent-' || a, i.v, d.at, d.at,
       case when t.type = 'saturation' then 1800 end,
       case when t.type = 'saturation' then d.at + 1800 * log(2, (i.v / 0.05)::numeric) * interval '1 second'
            else d.at + interval '30 days' end,
       case when t.type = 'saturation' then log(2, i.v::numeric) + extract(epoch from d.at) / 1800 end
  from entity e
 cross join (values ('importance'), ('saturation')) t(type)
 cross join generate_series(1, 5) a
 cross join lateral (select 0.5 + 9.5 * random() as v) i
 cross join lateral (select timestamptz '$NOW' - random() * interval '1 hour' as at) d
 where e.environment = 'bench';
analyze;
SQL
psql -tA -d "$DB" -c "select count(*) || ' live pheromones on ' || count(distinct entity_id) || ' entities' from pheromone where visible_until > '$NOW'"

# the service's current-intensity expression (PheromoneRepository.CURRENT) with :now bound to NOW
CURRENT=$(cat <<SQL
(case t.decay_kind
   when 'EXPONENTIAL' then p.intensity * power(2.0, -cast(extract(epoch from
        (cast('$NOW' as timestamptz) - p.deposited_at)) as double precision) / p.half_life_seconds)
   when 'REINFORCEMENT_ONLY' then least(t.max_intensity, greatest(0.0, coalesce(
        (select sum(v.delta) from pheromone_verdict v
          where v.pheromone_id = p.id and v.decided_at <= cast('$NOW' as timestamptz)
            and v.decided_at > cast('$NOW' as timestamptz) - t.window_seconds * interval '1 second'), 0.0)))
   else p.intensity end)
SQL
)
VISIBLE="(p.visible_until is null or p.visible_until > cast('$NOW' as timestamptz))"
rank() { cat <<SQL
select p.entity_kind, p.entity_key, p.environment, p.type, sum($CURRENT) as total, count(*), array_agg(p.agent order by p.agent)
  from pheromone p join signal_type t on t.name = p.type
 where p.type in ('$1') and $VISIBLE and p.environment = 'bench'
 group by p.entity_id, p.entity_kind, p.entity_key, p.environment, p.type
having sum($CURRENT) >= 0 and sum($CURRENT) > 0
 order by total desc, p.entity_kind, p.entity_key, p.type limit 50;
SQL
}
echo "$(rank importance)" > $OUT/top_importance.sql
echo "$(rank saturation)" > $OUT/top_saturation.sql
cat > $OUT/entity_view.sql <<SQL
\set e random(1, 100000)
select p.id, $CURRENT from pheromone p join signal_type t on t.name = p.type
 where p.entity_id = :e and $VISIBLE order by p.type, p.agent;
SQL
# same-run baselines: the same rows read without decay arithmetic
cat > $OUT/baseline_top.sql <<SQL
select entity_id, sum(intensity) as total from pheromone where type = 'importance' and environment = 'bench'
 group by entity_id order by total desc limit 50;
SQL
cat > $OUT/baseline_entity.sql <<SQL
\set e random(1, 100000)
select id, intensity from pheromone where entity_id = :e;
SQL

percentiles() { # pgbench per-transaction log: column 3 is latency in microseconds
  cat "$1"/pgbench_log.* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {
    printf "p50 %.2f ms, p99 %.2f ms, max %.2f ms (n=%d)\n", a[int(NR*0.5)]/1000, a[int(NR*0.99)]/1000, a[NR]/1000, NR}'
}
for q in top_importance top_saturation baseline_top entity_view baseline_entity; do
  runs=$RUNS; case $q in top_*|baseline_top) runs=$((RUNS / 10));; esac
  rm -rf $OUT/log && mkdir $OUT/log
  (cd $OUT/log && pgbench -n -M prepared -c 1 -t $runs -l -f $OUT/$q.sql "$DB" > /dev/null)
  echo "P3 $q: $(percentiles $OUT/log)"
done

echo "--- EXPLAIN (ANALYZE, BUFFERS) top 50 by importance"
psql -d "$DB" -c "explain (analyze, buffers, costs off) $(rank importance)"
echo "--- EXPLAIN (ANALYZE, BUFFERS) entity view"
psql -d "$DB" -c "explain (analyze, buffers, costs off) $(sed -e '1d' -e 's/:e/4242/' $OUT/entity_view.sql)"

# P5: a sweep (PheromoneRepository.deleteInvisible) while nothing has evaporated writes no row
psql -q -d "$DB" -c "select pg_stat_force_next_flush()" > /dev/null 2>&1 || true
before=$(psql -tA -d "$DB" -c "select n_tup_upd + n_tup_del + n_tup_ins from pg_stat_user_tables where relname = 'pheromone'")
for i in 1 2 3 4 5; do
  psql -q -d "$DB" -c "delete from pheromone where id in (select id from pheromone where visible_until <= cast('$NOW' as timestamptz)
                        order by visible_until limit 1000 for update skip locked)" > /dev/null
done
sleep 1
after=$(psql -tA -d "$DB" -c "select n_tup_upd + n_tup_del + n_tup_ins from pg_stat_user_tables where relname = 'pheromone'")
echo "P5: rows inserted+updated+deleted by 5 sweep batches with nothing evaporated: $((after - before))"
echo "--- EXPLAIN sweep batch"
psql -d "$DB" -c "explain (analyze, costs off) delete from pheromone where id in (select id from pheromone where visible_until <= cast('$NOW' as timestamptz) order by visible_until limit 1000 for update skip locked)"
rm -rf "$OUT"
