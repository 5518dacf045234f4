-- Ranking aggregate (issue 3, P3): one row per (entity, type) that has pheromones, holding a time-invariant
-- upper bound of the pair's summed current intensity, so "top K entities by a type" reads an index instead of
-- every deposit of the type. Derived data: triggers on pheromone keep it in the writing transaction.
--
-- bound_key is log2 of a sum of per-deposit terms 2^term (log-sum-exp, so nothing overflows), in the key space
-- of the pair's type. The bound at time t (PheromoneRanking):
--   EXPONENTIAL, type half-life h:      2^(bound_key - (epoch(t) - 1767225600) / h)
--   EXPIRY, PERMANENT, REINFORCEMENT_ONLY: 2^bound_key
-- 1767225600 is 2026-01-01T00:00:00Z, a fixed origin that keeps (t - origin) / h small for double precision.
-- Per deposit (pheromone_bound_term):
--   EXPONENTIAL with the type's half-life: log2 I0 + (t0 - origin)/h, exact: I0 2^(-(t-t0)/h) = 2^(term - (t-origin)/h);
--   with a shorter half-life hi < h it decays faster, so the same term bounds it from above for t >= t0;
--   with a longer one hi > h, the h-curve through (visible_until, I(visible_until)) bounds it until it
--   becomes invisible: term = log2 I0 - (vu - t0)/hi + (vu - origin)/h;
--   EXPIRY, PERMANENT: log2 I0 (constant until expiry; expired rows still count until swept);
--   REINFORCEMENT_ONLY: log2 maxIntensity (a verdict sum is clamped to it).
-- Deposits under their floor are invisible and count 0 on read, so the bound only overestimates; the read
-- computes exact totals for candidates in bound order and stops when no remaining bound can reach the K-th.
-- No foreign keys: a row exists only while pheromone rows of the pair exist, and those carry them.
create table pheromone_aggregate (
    entity_id   bigint           not null,
    type        text             not null,
    entity_kind text             not null,
    entity_key  text             not null,
    environment text             not null,
    bound_key   double precision not null,
    primary key (entity_id, type)
);

create index pheromone_aggregate_rank on pheromone_aggregate (type, bound_key desc, entity_id desc);

create function pheromone_bound_term(decay_kind text, type_half_life bigint, max_intensity double precision,
                                     intensity double precision, deposited_at timestamptz, half_life bigint,
                                     visible_until timestamptz)
    returns double precision language sql immutable parallel safe as
$$
select case
           when decay_kind = 'REINFORCEMENT_ONLY' then ln(max_intensity) / ln(2.0)
           when intensity <= 0 then null
           when decay_kind <> 'EXPONENTIAL' then ln(intensity) / ln(2.0)
           when coalesce(half_life, type_half_life) <= type_half_life or visible_until is null
               then ln(intensity) / ln(2.0)
                    + cast(extract(epoch from deposited_at) - 1767225600 as double precision) / type_half_life
           else ln(intensity) / ln(2.0)
                    - cast(extract(epoch from visible_until - deposited_at) as double precision) / half_life
                    + cast(extract(epoch from visible_until) - 1767225600 as double precision) / type_half_life
       end
$$;

-- Recomputes the aggregates of the given (entity, type) pairs from their pheromone rows. Each pair's row is
-- locked first, in (entity_id, type) order so concurrent writers never deadlock on aggregates; the recompute
-- then runs as a later statement, whose fresh snapshot (READ COMMITTED) includes every write committed by a
-- transaction this one waited for: concurrent deposits on one pair cannot lose each other's terms.
create function pheromone_aggregate_refresh(entity_ids bigint[], types text[]) returns void language plpgsql as
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
        select entity_id, type, m + ln(sum(power(2.0, term - m))) / ln(2.0) as bound_key
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

create function pheromone_aggregate_on_insert() returns trigger language plpgsql as
$$
begin
    perform pheromone_aggregate_refresh(array(select entity_id from new_rows), array(select type from new_rows));
    return null;
end
$$;

create function pheromone_aggregate_on_delete() returns trigger language plpgsql as
$$
begin
    perform pheromone_aggregate_refresh(array(select entity_id from old_rows), array(select type from old_rows));
    return null;
end
$$;

-- only changes that move a term: claims, payload and created_at leave the aggregate alone
create function pheromone_aggregate_on_update() returns trigger language plpgsql as
$$
declare
    ids   bigint[];
    names text[];
begin
    select array_agg(c.entity_id), array_agg(c.type) into ids, names
      from (select n.entity_id, n.type from new_rows n join old_rows o on o.id = n.id
             where (n.intensity, n.deposited_at, n.half_life_seconds, n.visible_until, n.entity_id, n.type)
                   is distinct from (o.intensity, o.deposited_at, o.half_life_seconds, o.visible_until, o.entity_id, o.type)
            union
            select o.entity_id, o.type from new_rows n join old_rows o on o.id = n.id
             where (n.entity_id, n.type) is distinct from (o.entity_id, o.type)) c;
    if ids is not null then
        perform pheromone_aggregate_refresh(ids, names);
    end if;
    return null;
end
$$;

create trigger pheromone_aggregate_insert after insert on pheromone
    referencing new table as new_rows for each statement execute function pheromone_aggregate_on_insert();
create trigger pheromone_aggregate_delete after delete on pheromone
    referencing old table as old_rows for each statement execute function pheromone_aggregate_on_delete();
create trigger pheromone_aggregate_update after update on pheromone
    referencing old table as old_rows new table as new_rows for each statement execute function pheromone_aggregate_on_update();

-- a type's half-life or maxIntensity changes the key space of all its pairs
create function pheromone_aggregate_on_type_change() returns trigger language plpgsql as
$$
begin
    perform pheromone_aggregate_refresh(array(select entity_id from pheromone where type = new.name),
                                        array(select type from pheromone where type = new.name));
    return null;
end
$$;

create trigger pheromone_aggregate_type_change after update on signal_type
    for each row when ((old.decay_kind, old.half_life_seconds, old.max_intensity)
                       is distinct from (new.decay_kind, new.half_life_seconds, new.max_intensity))
    execute function pheromone_aggregate_on_type_change();

-- the pheromones that exist already
insert into pheromone_aggregate (entity_id, type, entity_kind, entity_key, environment, bound_key)
select entity_id, type, min(entity_kind), min(entity_key), min(environment), m + ln(sum(power(2.0, term - m))) / ln(2.0)
  from (select p.entity_id, p.type, p.entity_kind, p.entity_key, p.environment, b.term,
               max(b.term) over (partition by p.entity_id, p.type) as m
          from pheromone p join signal_type t on t.name = p.type
         cross join lateral (select pheromone_bound_term(t.decay_kind, t.half_life_seconds, t.max_intensity,
                                    p.intensity, p.deposited_at, p.half_life_seconds, p.visible_until) as term) b) s
 where term is not null
 group by entity_id, type, m;
