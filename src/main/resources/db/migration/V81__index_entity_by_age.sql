-- The ready query (issue 27) lists entities without importance oldest first within one environment: an index in
-- that order, so a page reads a few rows instead of sorting the environment's entities.
create index entity_environment_age on entity (environment, created_at, id);
