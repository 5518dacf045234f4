-- Entities on which an L4 intent keeps a files_blocked pheromone because it denied their intent: the
-- signals to retract when that L4 hold ends.
create table intent_blocked_entity (
    intent_id  bigint not null references intent (id),
    entity     text   not null,
    primary key (intent_id, entity)
);
