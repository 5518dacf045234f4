-- The liveness last announced for each agent (issue 27): not the truth, which is derived from heartbeats and holds
-- at every read, but what the event log last said, so a change is announced once (agent.active, agent.idle,
-- agent.gone). An agent without a row was never announced: it counts as gone.
create table agent_liveness (
    agent      text primary key references agent (id),
    state      text        not null check (state in ('active', 'idle', 'gone')),
    changed_at timestamptz not null
);
