-- A tighter ranking bound for REINFORCEMENT_ONLY types (issue 30). V1 bounded each such pheromone by the type's
-- maxIntensity, so every pair of n deposits had the bound n * maxIntensity whatever its verdicts said, and a top-K
-- read the exact totals of every pair with as many deposits as the K-th (all 1,000 heavy entities of the ranking
-- benchmark, 100 verdict sums each: p50 1.2 s). A pheromone's strength at any time is
-- least(maxIntensity, greatest(0, sum of its verdicts' deltas in the window)), which is at most
-- least(maxIntensity, sum of its positive deltas ever): verdict_gain keeps that sum. It only grows (a verdict
-- removed by retention leaves it as it was, still a bound), and a pheromone never approved has strength 0 and no term.

alter table pheromone add column verdict_gain double precision not null default 0;

comment on column pheromone.verdict_gain is
    'Sum of the positive deltas of every verdict ever given on this pheromone (V94): bounds its REINFORCEMENT_ONLY strength';

-- Kept by a trigger, so that every writer of verdicts keeps it (the service, and SQL that seeds them).
create function pheromone_verdict_gain_on_insert() returns trigger language plpgsql as
$$
begin
    -- in id order, as every writer of pheromone rows takes them
    update pheromone p set verdict_gain = p.verdict_gain + g.gain
      from (select pheromone_id, sum(delta) as gain from new_rows where delta > 0
             group by pheromone_id order by pheromone_id) g
     where p.id = g.pheromone_id;
    return null;
end
$$;

create trigger pheromone_verdict_gain after insert on pheromone_verdict
    referencing new table as new_rows for each statement execute function pheromone_verdict_gain_on_insert();

-- The term of V1 with one more argument; a call without it keeps V1's maxIntensity bound for REINFORCEMENT_ONLY.
drop function pheromone_bound_term(text, bigint, double precision, double precision, timestamptz, bigint, timestamptz);

create function pheromone_bound_term(decay_kind text, type_half_life bigint, max_intensity double precision,
                                     intensity double precision, deposited_at timestamptz, half_life bigint,
                                     visible_until timestamptz, verdict_gain double precision default null)
    returns double precision language sql immutable parallel safe as
$$
select case
           when decay_kind = 'REINFORCEMENT_ONLY' and verdict_gain is null then ln(max_intensity) / ln(2.0)
           when decay_kind = 'REINFORCEMENT_ONLY' and verdict_gain <= 0 then null
           when decay_kind = 'REINFORCEMENT_ONLY' then ln(least(max_intensity, verdict_gain)) / ln(2.0)
           when intensity <= 0 then null
           when decay_kind <> 'EXPONENTIAL' then ln(intensity) / ln(2.0)
           when coalesce(half_life, type_half_life) <= type_half_life or visible_until is null
               then ln(intensity) / ln(2.0)
                    + cast(extract(epoch from deposited_at - timestamptz '2026-01-01 00:00:00+00') as double precision)
                      / type_half_life
           else ln(intensity) / ln(2.0)
                    - cast(extract(epoch from visible_until - deposited_at) as double precision) / half_life
                    + cast(extract(epoch from visible_until - timestamptz '2026-01-01 00:00:00+00') as double precision)
                      / type_half_life
       end
$$;

-- V1's functions, each passing verdict_gain to the term (and the update trigger watching it).
create or replace function pheromone_aggregate_refresh(entity_ids bigint[], types text[]) returns void language plpgsql as
$$
declare
    pair record;
begin
    if coalesce(cardinality(entity_ids), 0) = 0 then
        return; -- a statement that changed no row (a sweep with nothing evaporated)
    end if;
    -- the entity row outlives its pheromones (they reference it), so even a removal finds it here
    for pair in select distinct u.entity_id, u.type, e.kind, e.key, e.environment
                  from unnest(entity_ids, types) as u(entity_id, type) join entity e on e.id = u.entity_id
                 order by u.entity_id, u.type
    loop
        loop
            perform 1 from pheromone_aggregate a where a.entity_id = pair.entity_id and a.type = pair.type for update;
            exit when found;
            insert into pheromone_aggregate (entity_id, type, entity_kind, entity_key, environment, bound_key)
            values (pair.entity_id, pair.type, pair.kind, pair.key, pair.environment, '-Infinity')
            on conflict do nothing;
            exit when found;
        end loop;
    end loop;
    with terms as (
        select p.entity_id, p.type,
               pheromone_bound_term(t.decay_kind, t.half_life_seconds, t.max_intensity, p.intensity,
                                    p.deposited_at, p.half_life_seconds, p.visible_until, p.verdict_gain) as term
          from pheromone p join signal_type t on t.name = p.type
         where (p.entity_id, p.type) in (select * from unnest(entity_ids, types))),
    keys as (
        select entity_id, type, m + ln(sum(pow2(term - m))) / ln(2.0) as bound_key
          from (select entity_id, type, term, max(term) over (partition by entity_id, type) as m
                  from terms where term is not null) s
         group by entity_id, type, m)
    update pheromone_aggregate a set bound_key = k.bound_key
      from keys k where a.entity_id = k.entity_id and a.type = k.type and a.bound_key <> k.bound_key;
    -- pairs left without a positive term (no rows, or all at intensity 0) have total 0: never ranked
    delete from pheromone_aggregate a
     where (a.entity_id, a.type) in (select * from unnest(entity_ids, types))
       and not exists (select 1 from pheromone p join signal_type t on t.name = p.type
                        where p.entity_id = a.entity_id and p.type = a.type
                          and pheromone_bound_term(t.decay_kind, t.half_life_seconds, t.max_intensity, p.intensity,
                                                   p.deposited_at, p.half_life_seconds, p.visible_until,
                                                   p.verdict_gain) is not null);
end
$$;

create or replace function pheromone_aggregate_on_insert() returns trigger language plpgsql as
$$
declare
    pair record;
begin
    for pair in select s.entity_id, s.type, min(s.entity_kind) as kind, min(s.entity_key) as key,
                       min(s.environment) as environment, s.m + ln(sum(pow2(s.term - s.m))) / ln(2.0) as added
                  from (select n.entity_id, n.type, n.entity_kind, n.entity_key, n.environment, b.term,
                               max(b.term) over (partition by n.entity_id, n.type) as m
                          from new_rows n join signal_type t on t.name = n.type
                         cross join lateral (select pheromone_bound_term(t.decay_kind, t.half_life_seconds,
                                    t.max_intensity, n.intensity, n.deposited_at, n.half_life_seconds,
                                    n.visible_until, n.verdict_gain) as term) b) s
                 where s.term is not null
                 group by s.entity_id, s.type, s.m
                 order by s.entity_id, s.type
    loop
        insert into pheromone_aggregate as a (entity_id, type, entity_kind, entity_key, environment, bound_key)
        values (pair.entity_id, pair.type, pair.kind, pair.key, pair.environment, pair.added)
        on conflict (entity_id, type) do update
           set bound_key = greatest(a.bound_key, excluded.bound_key)
                           + ln(1 + pow2(-abs(a.bound_key - excluded.bound_key))) / ln(2.0);
    end loop;
    return null;
end
$$;

create or replace function pheromone_aggregate_on_update() returns trigger language plpgsql as
$$
declare
    c record;
begin
    -- the rows whose term may have moved, in (entity_id, type) order, as every writer takes pairs
    select bool_and(x.new_entity_id = x.old_entity_id and x.new_type = x.old_type and x.new_term is not null
                    and (x.old_term is null or x.new_term >= x.old_term)) as raises_only,
           array_agg(x.new_entity_id order by x.new_entity_id, x.new_type, x.id) as ids,
           array_agg(x.new_type order by x.new_entity_id, x.new_type, x.id) as names,
           array_agg(x.kind order by x.new_entity_id, x.new_type, x.id) as kinds,
           array_agg(x.key order by x.new_entity_id, x.new_type, x.id) as keys,
           array_agg(x.environment order by x.new_entity_id, x.new_type, x.id) as environments,
           array_agg(x.old_term order by x.new_entity_id, x.new_type, x.id) as old_terms,
           array_agg(x.new_term order by x.new_entity_id, x.new_type, x.id) as new_terms,
           array_agg(x.old_entity_id) as old_ids,
           array_agg(x.old_type) as old_names
      into c
      from (select n.id, n.entity_id as new_entity_id, n.type as new_type, o.entity_id as old_entity_id,
                   o.type as old_type, n.entity_kind as kind, n.entity_key as key, n.environment,
                   pheromone_bound_term(ot.decay_kind, ot.half_life_seconds, ot.max_intensity, o.intensity,
                                        o.deposited_at, o.half_life_seconds, o.visible_until, o.verdict_gain) as old_term,
                   pheromone_bound_term(nt.decay_kind, nt.half_life_seconds, nt.max_intensity, n.intensity,
                                        n.deposited_at, n.half_life_seconds, n.visible_until, n.verdict_gain) as new_term
              from new_rows n join old_rows o on o.id = n.id
              join signal_type nt on nt.name = n.type
              join signal_type ot on ot.name = o.type
             where (n.intensity, n.deposited_at, n.half_life_seconds, n.visible_until, n.entity_id, n.type, n.verdict_gain)
                   is distinct from (o.intensity, o.deposited_at, o.half_life_seconds, o.visible_until, o.entity_id, o.type,
                                     o.verdict_gain)) x;
    if c.ids is null then
        return null; -- only claims, payloads or created_at changed
    end if;
    if not c.raises_only then
        perform pheromone_aggregate_refresh(c.ids || c.old_ids, c.names || c.old_names);
        return null;
    end if;
    for i in 1 .. cardinality(c.ids) loop
        -- no aggregate row: the pair had no positive term, so the old one was null and the new is the bound
        insert into pheromone_aggregate as a (entity_id, type, entity_kind, entity_key, environment, bound_key)
        values (c.ids[i], c.names[i], c.kinds[i], c.keys[i], c.environments[i], c.new_terms[i])
        on conflict (entity_id, type) do update
           set bound_key = greatest(a.bound_key, excluded.bound_key)
                           + ln(pow2(a.bound_key - greatest(a.bound_key, excluded.bound_key))
                                + pow2(excluded.bound_key - greatest(a.bound_key, excluded.bound_key))
                                - coalesce(pow2(c.old_terms[i] - greatest(a.bound_key, excluded.bound_key)), 0))
                             / ln(2.0);
    end loop;
    return null;
end
$$;

-- Existing verdicts: their gains, set-based (the aggregate trigger would add 1 row at a time), then the bounds of
-- every REINFORCEMENT_ONLY pair rebuilt from them, as V55 built them.
alter table pheromone disable trigger pheromone_aggregate_update;
update pheromone p set verdict_gain = g.gain
  from (select pheromone_id, sum(delta) as gain from pheromone_verdict where delta > 0 group by pheromone_id) g
 where p.id = g.pheromone_id;
alter table pheromone enable trigger pheromone_aggregate_update;

delete from pheromone_aggregate a using signal_type t where t.name = a.type and t.decay_kind = 'REINFORCEMENT_ONLY';
insert into pheromone_aggregate (entity_id, type, entity_kind, entity_key, environment, bound_key)
select entity_id, type, min(entity_kind), min(entity_key), min(environment), m + ln(sum(pow2(term - m))) / ln(2.0)
  from (select p.entity_id, p.type, p.entity_kind, p.entity_key, p.environment, b.term,
               max(b.term) over (partition by p.entity_id, p.type) as m
          from pheromone p join signal_type t on t.name = p.type
         cross join lateral (select pheromone_bound_term(t.decay_kind, t.half_life_seconds, t.max_intensity,
                             p.intensity, p.deposited_at, p.half_life_seconds, p.visible_until, p.verdict_gain) as term) b
         where t.decay_kind = 'REINFORCEMENT_ONLY') s
 where term is not null
 group by entity_id, type, m;
