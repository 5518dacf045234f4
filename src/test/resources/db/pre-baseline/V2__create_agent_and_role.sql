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
