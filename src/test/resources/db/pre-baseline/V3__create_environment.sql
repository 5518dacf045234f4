-- An environment is one workspace: an optional git repository location plus its entities and signals.
create table environment (
    name        text primary key,
    description text,
    repository  text,
    created_at  timestamptz not null,
    created_by  text        not null
);
