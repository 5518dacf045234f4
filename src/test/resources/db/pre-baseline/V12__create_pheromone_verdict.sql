-- Every verdict on a pheromone, with its validator and what triggered it (DESIGN.md §2 reinforcement).
-- delta is the signed strength a verdict adds (REINFORCEMENT_ONLY sums the deltas within the window).
create table pheromone_verdict (
    id               bigint generated always as identity primary key,
    pheromone_id     bigint           not null references pheromone (id) on delete cascade,
    validator        text             not null,
    role             text             not null,
    approve          boolean          not null,
    delta            double precision not null,
    extend_seconds   bigint,
    trigger          text,
    intensity_before double precision not null,
    intensity_after  double precision not null,
    decided_at       timestamptz      not null
);

create index pheromone_verdict_pheromone on pheromone_verdict (pheromone_id, decided_at);
