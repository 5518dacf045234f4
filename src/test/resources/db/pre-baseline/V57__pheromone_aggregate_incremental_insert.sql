-- Inserting pheromones adds their terms to the pair's ranking bound (V55) instead of recomputing it from every
-- row of the pair: a bound is log2 of a sum of 2^term, so adding terms is exact (log-sum-exp, nothing overflows)
-- and costs one row whatever the pair holds. A pair such as (job, files_blocked) gathers one row per L4 intent,
-- and the recompute read them all on every insert (benchmark P4). Updates and deletes still recompute: a term
-- cannot be taken out of a sum in log space without losing precision.
-- Concurrent writers of one pair: the upsert locks the pair's row, and under READ COMMITTED its update applies
-- to the latest committed bound, so no term is lost; a recompute waiting on that lock reads the inserted row
-- afterwards (V55). Pairs are taken in (entity_id, type) order, as the recompute takes them: no deadlock.
create or replace function pheromone_aggregate_on_insert() returns trigger language plpgsql as
$$
declare
    pair record;
begin
    for pair in select s.entity_id, s.type, min(s.entity_kind) as kind, min(s.entity_key) as key,
                       min(s.environment) as environment, s.m + ln(sum(power(2.0, s.term - s.m))) / ln(2.0) as added
                  from (select n.entity_id, n.type, n.entity_kind, n.entity_key, n.environment, b.term,
                               max(b.term) over (partition by n.entity_id, n.type) as m
                          from new_rows n join signal_type t on t.name = n.type
                         cross join lateral (select pheromone_bound_term(t.decay_kind, t.half_life_seconds,
                                    t.max_intensity, n.intensity, n.deposited_at, n.half_life_seconds,
                                    n.visible_until) as term) b) s
                 where s.term is not null
                 group by s.entity_id, s.type, s.m
                 order by s.entity_id, s.type
    loop
        insert into pheromone_aggregate as a (entity_id, type, entity_kind, entity_key, environment, bound_key)
        values (pair.entity_id, pair.type, pair.kind, pair.key, pair.environment, pair.added)
        on conflict (entity_id, type) do update
           set bound_key = greatest(a.bound_key, excluded.bound_key)
                           + ln(1 + power(2.0, -abs(a.bound_key - excluded.bound_key))) / ln(2.0);
    end loop;
    return null;
end
$$;
