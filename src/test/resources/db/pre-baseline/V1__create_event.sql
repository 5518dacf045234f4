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
