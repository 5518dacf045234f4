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
    primary key (intent_id, path)
);

create index intent_file_held_prefix on intent_file (prefix) where status = 'HELD';
