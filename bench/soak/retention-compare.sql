-- Batched deletes against dropping time partitions, for docs/decisions/0004-retention.md. Run on a scratch
-- database: psql -v ON_ERROR_STOP=1 -f retention-compare.sql. One million events (the event table's columns and
-- indexes), the oldest 200,000 removed both ways.
\timing on
drop table if exists ev, ev_p, retention_mark cascade;
create table ev (id bigint primary key, occurred_at timestamptz not null, type text not null, environment text,
                 entity text, agent text, data jsonb not null default '{}');
create index ev_type_id on ev (type, id);
create index ev_environment_id on ev (environment, id) where environment is not null;
create index ev_entity_id on ev (entity, id) where entity is not null;
create index ev_agent_id on ev (agent, id) where agent is not null;
insert into ev select g, timestamptz '2026-01-01' + g * interval '2 seconds', 'pheromone.deposited', 'env-' || (g % 5),
                      'job/J-' || (g % 5000), 'agent-' || (g % 200), jsonb_build_object('intensity', g % 10)
  from generate_series(1, 1000000) g;
create table retention_mark (removed_up_to bigint not null);
insert into retention_mark values (0);
vacuum analyze ev;

create table ev_p (id bigint not null, occurred_at timestamptz not null, type text not null, environment text,
                   entity text, agent text, data jsonb not null default '{}', primary key (id, occurred_at))
    partition by range (occurred_at);
do $$ begin
  for d in 0..23 loop
    execute format('create table ev_p_%s partition of ev_p for values from (%L) to (%L)', d,
                   timestamptz '2026-01-01' + d * interval '1 day', timestamptz '2026-01-01' + (d + 1) * interval '1 day');
  end loop;
end $$;
create index ev_p_type_id on ev_p (type, id);
create index ev_p_environment_id on ev_p (environment, id) where environment is not null;
create index ev_p_entity_id on ev_p (entity, id) where entity is not null;
create index ev_p_agent_id on ev_p (agent, id) where agent is not null;
insert into ev_p select * from ev;
vacuum analyze ev_p;

-- batched: 400 batches of 500, the statement EventRetention runs (cutoff after event 200,000)
\echo batched deletes, 400 x 500 rows
select clock_timestamp() as t0 \gset
do $$
declare n int; worst interval := '0'; t timestamptz;
begin
  for i in 1..400 loop
    t := clock_timestamp();
    with mark as (select removed_up_to from retention_mark),
         head as (select e.id, e.occurred_at from ev e, mark where e.id > mark.removed_up_to order by e.id limit 500),
         stop as (select coalesce(min(id), 9223372036854775807) as id from head
                   where occurred_at >= timestamptz '2026-01-01' + 200001 * interval '2 seconds'),
         gone as (delete from ev e using head, stop where e.id = head.id and head.id < stop.id returning e.id)
    update retention_mark set removed_up_to = (select coalesce(max(id), removed_up_to) from gone);
    worst := greatest(worst, clock_timestamp() - t);
  end loop;
  raise notice 'slowest batch: %', worst;
end $$;
select clock_timestamp() - :'t0' as batched_total;
select count(*) as left_rows, min(id) from ev;

-- partitions: 200,000 events at 2 s each span 4.6 days; only whole days can go: drop 4 partitions
\echo dropping 4 day partitions
select clock_timestamp() as t1 \gset
drop table ev_p_0, ev_p_1, ev_p_2, ev_p_3;
select clock_timestamp() - :'t1' as dropped_total;
select count(*) as left_rows, min(id) from ev_p;
select pg_size_pretty(pg_total_relation_size('ev')) as ev_size_before_vacuum;
