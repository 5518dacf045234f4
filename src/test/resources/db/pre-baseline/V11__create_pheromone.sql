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
