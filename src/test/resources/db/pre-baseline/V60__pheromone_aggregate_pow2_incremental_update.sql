-- Two changes to the ranking aggregate (V55, V57) and the decay arithmetic.
--
-- 1. pow2(x) = 2^x, 0 where it underflows a double. PostgreSQL's power() raises "value out of range:
--    underflow" below 2^-1074, and terms of one pair drift apart by (t1 - t0) / halfLife: with a 1 s
--    half-life, deposits 20 minutes apart made every later deposit on the pair fail. Counting such a term as
--    0 changes a bound by less than 2^-1022 of its largest term, far inside the ranking's 1e-6 slack.
--
-- 2. An update that raises one deposit's term (a repeat deposit: decay folded in, then added, so the term
--    never falls) applies the difference to its pair's bound instead of recomputing the bound from every row
--    of the pair (benchmark P2): bound' = log2(2^bound - 2^old + 2^new), computed against the largest of the
--    three so nothing overflows. The old term is inside the bound, so this is a sum of non-negative parts and
--    loses no precision. Updates that lower a term, move a deposit to another pair or change several rows
--    of mixed kinds still recompute (V55). Concurrency as for inserts (V57): the upsert applies the change to
--    the latest committed bound, and the row's own term cannot change meanwhile (the writer holds the row).
create function pow2(x double precision) returns double precision
    language sql immutable strict parallel safe
as $$
select case when x < -1022 then 0 else power(2.0, x) end
$$;

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
                                    p.deposited_at, p.half_life_seconds, p.visible_until) as term
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
                                                   p.deposited_at, p.half_life_seconds, p.visible_until) is not null);
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
                                    n.visible_until) as term) b) s
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
                                        o.deposited_at, o.half_life_seconds, o.visible_until) as old_term,
                   pheromone_bound_term(nt.decay_kind, nt.half_life_seconds, nt.max_intensity, n.intensity,
                                        n.deposited_at, n.half_life_seconds, n.visible_until) as new_term
              from new_rows n join old_rows o on o.id = n.id
              join signal_type nt on nt.name = n.type
              join signal_type ot on ot.name = o.type
             where (n.intensity, n.deposited_at, n.half_life_seconds, n.visible_until, n.entity_id, n.type)
                   is distinct from (o.intensity, o.deposited_at, o.half_life_seconds, o.visible_until, o.entity_id, o.type)) x;
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
