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
