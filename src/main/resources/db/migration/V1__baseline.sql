-- The schema of Stigmergy, one file per release line: this baseline replaces the pre-1.0 chain of migrations
-- (V1-V63, kept under src/test/resources/db/pre-baseline for MigrationBaselineTest, which proves both yield the
-- same schema). Later changes are new files V64 and up; an applied file is never edited. Sections follow the
-- capabilities that own the tables (DESIGN.md §1-§5).

-- ===== event ======================================================================================
-- The append-only event log (DESIGN.md §1, §5). Rows are inserted in the transaction of the change
-- they record and never updated.
create sequence event_id_seq;

create table event (
    id          bigint primary key default nextval('event_id_seq'),
    occurred_at timestamptz not null,
    type        text        not null,
    environment text,
    entity      text,
    agent       text,
    data        jsonb       not null default '{}'::jsonb
);

create index event_type_id on event (type, id);
create index event_environment_id on event (environment, id) where environment is not null;
create index event_entity_id on event (entity, id) where entity is not null;
create index event_agent_id on event (agent, id) where agent is not null;
-- How far the NATS JetStream bridge has published the event log, per JetStream stream: every event with
-- id <= last_event_id was acknowledged by JetStream. The row lock also elects one publishing replica.
create table event_nats_position (
    stream        text primary key,
    last_event_id bigint not null
);

-- An instant as java.time writes it (DateTimeFormatter.ISO_INSTANT, what Jackson writes into event data): UTC with
-- Z, the fraction in groups of three digits and left out when zero. Statements that build event data in SQL use it,
-- so their events read like every other event. STABLE, not STRICT, like its body (to_char is STABLE, a CASE is not
-- strict): only then does PostgreSQL inline it into the statements that call it.
create function iso_instant(t timestamptz) returns text
    language sql stable parallel safe
as $$
select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
           || case
                  when extract(microseconds from t)::bigint % 1000000 = 0 then ''
                  when extract(microseconds from t)::bigint % 1000 = 0 then to_char(t at time zone 'UTC', '.MS')
                  else to_char(t at time zone 'UTC', '.US')
              end
           || 'Z'
$$;

-- ===== agent, role =================================================================================
-- Roles say what a call may do; agents are identities holding one or more roles. A bearer token is kept
-- only as its SHA-256 hash (hex).
create table role (
    name        text primary key,
    description text    not null,
    read_only   boolean not null default false,
    built_in    boolean not null default false
);

insert into role (name, description, read_only, built_in) values
    ('agent',     'A coding agent: deposits signals, holds locks and intents', false, true),
    ('scout',     'Explores work and marks it: importance, readiness',           false, true),
    ('worker',    'Takes up jobs, locks them and declares file intents',         false, true),
    ('validator', 'Reinforces or rejects signals after checking work',           false, true),
    ('reviewer',  'Reads everything, changes nothing',                           true,  true),
    ('admin',     'Registers agents and kinds; may force-release holds',         false, true);

create table agent (
    id           text primary key,
    display_name text        not null,
    roles        text[]      not null check (cardinality(roles) > 0),
    token_hash   text        not null unique,
    created_at   timestamptz not null
);

-- ===== environment, entity =========================================================================
-- An environment is one workspace: an optional git repository location plus its entities and signals.
create table environment (
    name        text primary key,
    description text,
    repository  text,
    created_at  timestamptz not null,
    created_by  text        not null
);

-- Entity kinds and entities, addressed as {kind}/{key}.
create table entity_kind (
    name        text primary key,
    description text        not null,
    built_in    boolean     not null default false,
    created_at  timestamptz not null default now()
);

insert into entity_kind (name, description, built_in) values
    ('job',           'A unit of work an agent takes up',  true),
    ('merge-request', 'A proposed change under review',    true);

create table entity (
    id          bigint generated always as identity primary key,
    kind        text        not null references entity_kind (name),
    key         text        not null,
    environment text        not null references environment (name),
    title       text        not null,
    status      text        not null,
    created_at  timestamptz not null,
    created_by  text        not null,
    updated_at  timestamptz not null,
    unique (kind, key)
);

create index entity_environment_kind on entity (environment, kind, key);

-- ===== lease ======================================================================================
-- One global, strictly increasing sequence for the fencing tokens of every hold (locks, intents, claims).
create sequence fencing_token_seq;

-- ===== pheromone ==================================================================================
-- The signal-type registry (DESIGN.md §2): every type declares its decay policy; built-ins are seeded here.
-- decay_kind decides which of half_life_seconds / floor / ttl_seconds / window_seconds are set.
-- write_roles / reinforce_roles: roles allowed by the type itself ('*' = any role whose slice allows it).
create table signal_type (
    name                  text primary key,
    display_name          text             not null,
    description           text             not null default '',
    colour                text,
    decay_kind            text             not null
        check (decay_kind in ('EXPONENTIAL', 'EXPIRY', 'REINFORCEMENT_ONLY', 'PERMANENT')),
    half_life_seconds     bigint,
    min_half_life_seconds bigint,
    max_half_life_seconds bigint,
    floor                 double precision,
    ttl_seconds           bigint,
    window_seconds        bigint,
    max_intensity         double precision not null default 10 check (max_intensity > 0),
    deposit_cap           double precision check (deposit_cap > 0),
    write_roles           text[]           not null default '{*}',
    reinforce_roles       text[]           not null default '{validator,admin}',
    service_owned         boolean          not null default false,
    built_in              boolean          not null default false,
    created_at            timestamptz      not null,
    created_by            text             not null,
    check (decay_kind <> 'EXPONENTIAL' or (half_life_seconds > 0 and floor > 0)),
    check (decay_kind <> 'EXPIRY' or ttl_seconds > 0),
    check (decay_kind <> 'REINFORCEMENT_ONLY' or window_seconds > 0),
    check (decay_kind <> 'PERMANENT' or service_owned)
);

insert into signal_type (name, display_name, description, colour, decay_kind, half_life_seconds,
                         min_half_life_seconds, max_half_life_seconds, floor, ttl_seconds, window_seconds,
                         max_intensity, deposit_cap, service_owned, built_in, created_at, created_by) values
    ('importance', 'Importance', 'How much a job matters; long-lived', '#d62728',
        'EXPIRY', null, null, null, null, 2592000, null, 10, null, false, true, now(), 'service'),
    ('saturation', 'Saturation', 'How many agents already crowd an entity', '#7f7f7f',
        'EXPONENTIAL', 1800, 60, 86400, 0.05, null, null, 10, null, false, true, now(), 'service'),
    ('takeup_interest', 'Take-up interest', 'An agent means to take the job up soon', '#2ca02c',
        'EXPONENTIAL', 300, 30, 3600, 0.05, null, null, 10, null, false, true, now(), 'service'),
    ('workingonit', 'Working on it', 'An agent is working on the entity right now', '#1f77b4',
        'EXPONENTIAL', 120, 15, 900, 0.05, null, null, 10, null, false, true, now(), 'service'),
    ('task_not_ready', 'Task not ready', 'The job cannot be taken up yet (pairs with available)', '#ff7f0e',
        'EXPIRY', null, null, null, null, 86400, null, 10, null, false, true, now(), 'service'),
    ('available', 'Available', 'The job is ready to be taken up (pairs with task_not_ready)', '#17becf',
        'EXPIRY', null, null, null, null, 86400, null, 10, null, false, true, now(), 'service'),
    ('request_split', 'Request split', 'The job is too big and should be split', '#9467bd',
        'EXPONENTIAL', 7200, 600, 86400, 0.05, null, null, 10, null, false, true, now(), 'service'),
    ('reviewadded', 'Review added', 'A review was added; strength is the validators'' verdicts', '#8c564b',
        'REINFORCEMENT_ONLY', null, null, null, null, null, 86400, 10, null, false, true, now(), 'service'),
    ('blocked', 'Blocked', 'The entity is blocked by something outside it', '#e377c2',
        'EXPONENTIAL', 3600, 300, 86400, 0.05, null, null, 10, null, false, true, now(), 'service'),
    ('files_blocked', 'Files blocked', 'Kept by the service while an L4 intent holds files', '#000000',
        'PERMANENT', null, null, null, null, null, null, 10, null, true, true, now(), 'service');

-- Pheromones: one row per (entity, type, depositor). Decay is computed on read; the row stores what makes
-- visibility an indexed predicate (visible_until, null = never evaporates) and, for exponential decay, the
-- time-invariant ordering key rank_key = log2(intensity) + epoch(deposited_at) / half_life_seconds.
-- intensity is the intensity at deposited_at (the last fold). Claim columns are server-owned.
create table pheromone (
    id                  bigint generated always as identity primary key,
    entity_id           bigint           not null references entity (id),
    entity_kind         text             not null,
    entity_key          text             not null,
    environment         text             not null,
    type                text             not null references signal_type (name),
    agent               text             not null,
    intensity           double precision not null check (intensity >= 0),
    deposited_at        timestamptz      not null,
    created_at          timestamptz      not null,
    half_life_seconds   bigint,
    visible_until       timestamptz,
    rank_key            double precision,
    payload             jsonb,
    claim_holder        text,
    claim_fencing_token bigint,
    claim_lease_seconds bigint,
    claim_expires_at    timestamptz,
    unique (entity_id, type, agent)
);

create index pheromone_visible_until on pheromone (visible_until) where visible_until is not null;
create index pheromone_type_environment on pheromone (type, environment, visible_until);
create index pheromone_type_rank on pheromone (type, rank_key desc);
create index pheromone_claim_holder on pheromone (claim_holder) where claim_holder is not null;

-- Every verdict on a pheromone, with its validator and what triggered it (DESIGN.md §2 reinforcement).
-- delta is the signed strength a verdict adds (REINFORCEMENT_ONLY sums the deltas within the window).
create table pheromone_verdict (
    id               bigint generated always as identity primary key,
    pheromone_id     bigint           not null references pheromone (id) on delete cascade,
    validator        text             not null,
    role             text             not null,
    approve          boolean          not null,
    delta            double precision not null,
    extend_seconds   bigint,
    trigger          text,
    intensity_before double precision not null,
    intensity_after  double precision not null,
    decided_at       timestamptz      not null
);

create index pheromone_verdict_pheromone on pheromone_verdict (pheromone_id, decided_at);

-- A role's slice of the medium (DESIGN.md §1 "role"): the signal types it reads, writes and reinforces
-- (exact names, a family 'request.*', or '*'), and its local query. Service-owned types are never writable.
create table role_slice (
    role          text primary key references role (name),
    reads         text[]           not null default '{*}',
    writes        text[]           not null default '{}',
    reinforces    text[]           not null default '{}',
    environment   text,
    entity_kinds  text[]           not null default '{}',
    types         text[]           not null default '{}',
    min_intensity double precision not null default 0,
    query_limit   integer          not null default 50 check (query_limit between 1 and 1000)
);

insert into role_slice (role, reads, writes, reinforces) values
    ('agent',     '{*}', '{*}', '{}'),
    ('scout',     '{*}', '{importance,task_not_ready,available,request_split,blocked,discovery.*,request.*}', '{}'),
    ('worker',    '{*}', '{takeup_interest,workingonit,saturation,blocked,request_split,completion.*,error.*,claim.*,heartbeat.*,request.*}', '{}'),
    ('validator', '{*}', '{reviewadded,completion.*,error.*}', '{*}'),
    ('reviewer',  '{*}', '{}', '{}'),
    ('admin',     '{*}', '{*}', '{*}');

-- Ranking aggregate: one row per (entity, type) that has pheromones, holding a time-invariant
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

-- pow2(x) = 2^x, and 0 where it would underflow a double: power() raises "value out of range: underflow" below
-- 2^-1074, and terms of one pair drift apart by (t1 - t0) / halfLife. Counting such a term as 0 changes a bound by
-- less than 2^-1022 of its largest term. Not STRICT (its CASE is not strict), so that PostgreSQL inlines it.
create function pow2(x double precision) returns double precision
    language sql immutable parallel safe
as $$
select case when x < -1022 then 0 else power(2.0, x) end
$$;

-- IMMUTABLE and inlinable: it takes the epoch of an interval (immutable), not of a timestamptz (stable).
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
                    + cast(extract(epoch from deposited_at - timestamptz '2026-01-01 00:00:00+00') as double precision)
                      / type_half_life
           else ln(intensity) / ln(2.0)
                    - cast(extract(epoch from visible_until - deposited_at) as double precision) / half_life
                    + cast(extract(epoch from visible_until - timestamptz '2026-01-01 00:00:00+00') as double precision)
                      / type_half_life
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

-- Inserting pheromones adds their terms to the pair's bound instead of recomputing it from every row of the pair:
-- a bound is log2 of a sum of 2^term, so adding terms is exact and costs one row whatever the pair holds.
-- Concurrent writers of one pair: the upsert locks the pair's row, and under READ COMMITTED its update applies to
-- the latest committed bound, so no term is lost. Pairs are taken in (entity_id, type) order, as the recompute
-- takes them: no deadlock.
create function pheromone_aggregate_on_insert() returns trigger language plpgsql as
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

create function pheromone_aggregate_on_delete() returns trigger language plpgsql as
$$
begin
    perform pheromone_aggregate_refresh(array(select entity_id from old_rows), array(select type from old_rows));
    return null;
end
$$;

-- An update that raises one deposit's term (a repeat deposit: decay folded in, then added) applies the difference
-- to its pair's bound: bound' = log2(2^bound - 2^old + 2^new), computed against the largest of the three so nothing
-- overflows. Updates that lower a term, move a deposit to another pair or mix kinds recompute the pair. Claims,
-- payload and created_at leave the aggregate alone.
create function pheromone_aggregate_on_update() returns trigger language plpgsql as
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

-- ===== lock =======================================================================================
-- Locks (DESIGN.md §3): one row per entity that was ever locked, holding its current grant, or a free row
-- (holder null) once the hold ended. The row is the unit of mutual exclusion: every check-and-act on a
-- lock runs after "select ... for update" on it. A grant is live while expires_at > now (the caller's now);
-- a lapsed row is free, whether or not the sweep has recorded its expiry yet.
create table entity_lock (
    entity_id     bigint primary key references entity (id),
    entity        text not null,
    environment   text not null,
    holder        text,
    fencing_token bigint,
    reason        text,
    lease_seconds integer,
    acquired_at   timestamptz,
    expires_at    timestamptz,
    -- set by every unlock request against the current grant, cleared by every grant and end: a release of a row
    -- with it unset knows no request can be pending and frees the row in one statement. A flag, not a read of
    -- unlock_request: that statement's snapshot predates its wait for the row lock, the flag is re-read then
    unlock_requested boolean not null default false,
    constraint entity_lock_grant_complete check (
        (holder is null and fencing_token is null and lease_seconds is null and acquired_at is null and expires_at is null)
        or (holder is not null and fencing_token is not null and lease_seconds > 0 and acquired_at is not null
            and expires_at is not null))
);

-- a fencing token names exactly one grant
create unique index entity_lock_fencing_token on entity_lock (fencing_token);
create index entity_lock_holder on entity_lock (holder, entity) where holder is not null;
create index entity_lock_environment on entity_lock (environment, entity) where holder is not null;
create index entity_lock_expires_at on entity_lock (expires_at) where holder is not null;

-- ===== unlock =====================================================================================
-- Unlock requests (DESIGN.md §3) against any hold, addressed by (hold_kind, hold_id): a lock's hold id is
-- its fencing token; file intents use their own ids. A PENDING request past expires_at is EXPIRED (read
-- lazily; the sweep records it).
create table unlock_request (
    id                    bigint generated always as identity primary key,
    hold_kind             text        not null,
    hold_id               text        not null,
    entity                text        not null,
    environment           text        not null,
    holder                text        not null,
    requester             text        not null,
    reason                text        not null,
    handover              boolean     not null,
    status                text        not null check (status in
                              ('PENDING', 'APPROVED', 'REJECTED', 'WITHDRAWN', 'EXPIRED', 'OBSOLETE')),
    created_at            timestamptz not null,
    expires_at            timestamptz not null,
    decided_at            timestamptz,
    decided_by            text,
    note                  text,
    granted_fencing_token bigint
);

-- a repeated request from the same requester returns the pending one
create unique index unlock_request_one_pending on unlock_request (hold_kind, hold_id, requester)
    where status = 'PENDING';
create index unlock_request_pending_expiry on unlock_request (expires_at) where status = 'PENDING';
create index unlock_request_holder on unlock_request (holder, id);
create index unlock_request_requester on unlock_request (requester, id);
create index unlock_request_entity on unlock_request (entity, id);

-- ===== intent =====================================================================================
-- File-update intents (DESIGN.md §4): an agent's declaration, on a parent entity, of files it plans to
-- edit, each at a level L1 (advisory) to L4 (hard lock). Held while ACTIVE and before expires_at.
create table intent (
    id             bigint generated always as identity primary key,
    environment    text        not null references environment (name),
    entity_id      bigint      not null references entity (id),
    entity         text        not null,
    agent          text        not null,
    description    text        not null,
    priority       int         not null check (priority between 1 and 10),
    lease_seconds  int         not null check (lease_seconds > 0),
    fencing_token  bigint      not null unique,
    branch         text,
    base_commit    text,
    status         text        not null check (status in ('ACTIVE', 'COMPLETED', 'CANCELLED', 'EXPIRED')),
    created_at     timestamptz not null,
    expires_at     timestamptz not null,
    ended_at       timestamptz
);

create index intent_active_by_environment on intent (environment, expires_at) where status = 'ACTIVE';
create index intent_by_agent on intent (agent, status);
create index intent_by_entity on intent (entity_id);

-- One declared path of an intent. prefix is the literal leading directories of the pattern (before any
-- glob), so candidates for overlap are found without reading every active file.
create table intent_file (
    intent_id   bigint  not null references intent (id),
    path        text    not null,
    prefix      text    not null,
    level       int     not null check (level between 1 and 4),
    line_ranges jsonb,
    status      text    not null check (status in ('HELD', 'RELEASED', 'PREEMPTED')),
    -- the holder, copied from the intent (never changes; a handover makes a new intent), so the overlap check
    -- skips the declaring agent's own files while scanning held prefixes
    agent       text    not null,
    primary key (intent_id, path)
);

create index intent_file_held_prefix on intent_file (prefix) where status = 'HELD';
-- Candidate overlaps are found by prefix: equal to an ancestor directory of a declared prefix, or inside
-- it. Byte-wise ("C") order makes "inside a/b/" the range ['a/b/', 'a/b0'), which this index serves.
create index intent_file_held_prefix_c on intent_file (prefix collate "C", intent_id) where status = 'HELD';

-- Entities on which an L4 intent keeps a files_blocked pheromone because it denied their intent: the
-- signals to retract when that L4 hold ends.
create table intent_blocked_entity (
    intent_id  bigint not null references intent (id),
    entity     text   not null,
    primary key (intent_id, entity)
);
