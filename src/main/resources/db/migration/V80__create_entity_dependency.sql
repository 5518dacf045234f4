-- depends-on links between entities of one environment (issue 27): entity_id depends on depends_on_id, which
-- must be done (a visible completion.* pheromone) before entity_id is ready. Both ends are in one environment,
-- and the links form no cycle (DependencyService checks both under a per-environment lock).
create table entity_dependency (
    entity_id     bigint      not null references entity (id),
    depends_on_id bigint      not null references entity (id),
    environment   text        not null,
    entity        text        not null,
    depends_on    text        not null,
    created_at    timestamptz not null,
    created_by    text        not null,
    primary key (entity_id, depends_on_id),
    check (entity_id <> depends_on_id)
);

-- the other direction: who waits for an entity (dependants, and the walk that finds cycles)
create index entity_dependency_depends_on on entity_dependency (depends_on_id, entity_id);
