-- The ready query (issue 27) asks, per entity, whether an L4 intent denied it: the entities' side of the table.
create index intent_blocked_entity_by_entity on intent_blocked_entity (entity, intent_id);
