#!/usr/bin/env bash
# P3 (sensing latency over 1,000,000 live pheromones on 100,000 entities) and P5 (rows written by a sweep
# while nothing has evaporated), run against the service's own SQL on a scratch database.
# Usage: bench/pheromone/p3_p5.sh   (PGHOST/PGUSER default to 127.0.0.1/postgres; DB $BENCH_DB, default
# stigmergy_bench_pheromone).
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
start=$(date +%s.%N)
psql -q -v ON_ERROR_STOP=1 -d "$DB" <<SQL
insert into environment (name, created_at, created_by) values ('bench', '$NOW', 'bench');
insert into entity (kind, key, environment, title, status, created_at, created_by, updated_at)
select 'job', 'JOB-' || g, 'bench', 'Job ' || g, 'open', '$NOW', 'bench', '$NOW' from generate_series(1, 100000) g;
-- 10 pheromones per entity: 5 importance (EXPIRY, 30 days) + 5 saturation (EXPONENTIAL, 1800 s, floor 0.05),
-- deposited over the last hour with intensities 0.5-10, all still visible at NOW
-- (each row draws its own intensity and time: an uncorrelated lateral random() would be drawn once for all rows,
-- which made every total equal in runs before 2026-11-22 02:40)
-- the seed bypasses the per-statement aggregate trigger (its per-pair loop takes minutes for one 1M-row
-- statement) and builds pheromone_aggregate with the set-based query V55 runs for existing rows
alter table pheromone disable trigger pheromone_aggregate_insert;
insert into pheromone (entity_id, entity_kind, entity_key, environment, type, agent, intensity, deposited_at,
                       created_at, half_life_seconds, visible_until, rank_key)
select s.id, 'job', s.key, 'bench', s.type, 'agent-' || s.a, s.v, s.at, s.at,
       case when s.type = 'saturation' then 1800 end,
       case when s.type = 'saturation' then s.at + 1800 * log(2, (s.v / 0.05)::numeric) * interval '1 second'
            else s.at + interval '30 days' end,
       case when s.type = 'saturation' then log(2, s.v::numeric) + extract(epoch from s.at) / 1800 end
  from (select e.id, e.key, t.type, a, 0.5 + 9.5 * random() as v,
               timestamptz '$NOW' - random() * interval '1 hour' as at
          from entity e
         cross join (values ('importance'), ('saturation')) t(type)
         cross join generate_series(1, 5) a
         where e.environment = 'bench') s;
alter table pheromone enable trigger pheromone_aggregate_insert;
insert into pheromone_aggregate (entity_id, type, entity_kind, entity_key, environment, bound_key)
select entity_id, type, min(entity_kind), min(entity_key), min(environment), m + ln(sum(power(2.0, term - m))) / ln(2.0)
  from (select p.entity_id, p.type, p.entity_kind, p.entity_key, p.environment, b.term,
               max(b.term) over (partition by p.entity_id, p.type) as m
          from pheromone p join signal_type t on t.name = p.type
         cross join lateral (select pheromone_bound_term(t.decay_kind, t.half_life_seconds, t.max_intensity,
                                    p.intensity, p.deposited_at, p.half_life_seconds, p.visible_until) as term) b) s
 where term is not null
 group by entity_id, type, m;
analyze;
SQL
echo "seed (1,000,000 rows, then the aggregate built set-based) took $(echo "$(date +%s.%N) - $start" | bc) s"
psql -tA -d "$DB" -c "select count(*) || ' aggregate rows' from pheromone_aggregate"
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
# the ranking the service runs since V55 (PheromoneRanking.CANDIDATES): the first batch of candidates in bound
# order with their exact totals; limit 50 reads 51 candidates and stops when the 51st bound is under the 50th total
rank() { cat <<SQL
select a.entity_id, a.bound_key, a.entity_kind, a.entity_key, a.environment, x.total, x.n, x.agents, x.excluded
  from pheromone_aggregate a
 cross join lateral (
       select sum($CURRENT) as total, count(*) as n, array_agg(p.agent order by p.agent) as agents, false as excluded
         from pheromone p join signal_type t on t.name = p.type
        where p.entity_id = a.entity_id and p.type = a.type and $VISIBLE) x
 where a.type = '$1' and (a.bound_key, a.entity_id) < (1.7976931348623157e308, 9223372036854775807)
   and a.environment = 'bench'
 order by a.bound_key desc, a.entity_id desc limit 51;
SQL
}
# the scan the ranking replaced (the service's SQL before V55): every live row of the type, summed, sorted
scan() { cat <<SQL
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
echo "$(scan importance)" > $OUT/scan_importance.sql
echo "$(scan saturation)" > $OUT/scan_saturation.sql
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
for q in top_importance top_saturation scan_importance scan_saturation baseline_top entity_view baseline_entity; do
  runs=$RUNS; case $q in scan_*|baseline_top) runs=$((RUNS / 10));; esac
  rm -rf $OUT/log && mkdir $OUT/log
  (cd $OUT/log && pgbench -n -M prepared -c 1 -t $runs -l -f $OUT/$q.sql "$DB" > /dev/null)
  echo "P3 $q: $(percentiles $OUT/log)"
done

# the threshold rule: one batch suffices when the last (51st) candidate's bound is under the 50th exact total
for t in importance saturation; do
  h=$(psql -tA -d "$DB" -c "select coalesce(half_life_seconds, 0) from signal_type where name = '$t'")
  psql -tA -d "$DB" -c "with c as ($(rank $t | sed 's/;$//')), r as (select *, row_number() over (order by total desc) as i from c)
    select '$t: 50th exact total ' || round((select total from r where i = 50)::numeric, 6)
        || ', bound of the 51st candidate ' || round(power(2.0, (select bound_key from c order by bound_key limit 1)
           - case when $h > 0 then (extract(epoch from timestamptz '$NOW') - 1767225600) / $h else 0 end)::numeric, 6)"
done
echo "--- EXPLAIN (ANALYZE, BUFFERS) top 50 by importance (first candidate batch)"
psql -d "$DB" -c "explain (analyze, buffers, costs off) $(rank importance)"
echo "--- EXPLAIN (ANALYZE, BUFFERS) the former scan, top 50 by importance"
psql -d "$DB" -c "explain (analyze, buffers, costs off) $(scan importance)"
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
