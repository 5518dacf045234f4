-- Merge requests bound to branches (issue 28): the refs a merge-request entity would merge, its state, the
-- commits the conflict radar last read them at, its changed files and the files other agents held of them.
create table merge_request (
    entity_id     bigint      primary key references entity (id),
    environment   text        not null references environment (name),
    key           text        not null unique,
    source_ref    text        not null,
    target_ref    text        not null,
    state         text        not null check (state in ('open', 'merged', 'closed')),
    author        text        not null,
    source_commit text,
    target_commit text,
    changed_files jsonb,
    blocked_files jsonb,
    created_at    timestamptz not null,
    updated_at    timestamptz not null
);

create index merge_request_open on merge_request (environment, target_ref) where state = 'open';

-- One row per pair of open merge requests on one target (key_a < key_b): the trial merge of their sources at
-- the commits named, which is also the cache (a pair is recomputed only when one of its commits moved).
create table merge_request_pair (
    environment text        not null references environment (name),
    key_a       text        not null,
    key_b       text        not null,
    commit_a    text        not null,
    commit_b    text        not null,
    colliding   boolean     not null,
    conflicts   boolean     not null,
    report      jsonb       not null,
    computed_at timestamptz not null,
    primary key (key_a, key_b),
    check (key_a < key_b)
);

create index merge_request_pair_b on merge_request_pair (key_b);
