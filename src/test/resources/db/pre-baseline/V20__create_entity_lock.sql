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
