-- Deactivating an agent (issue 27): from deactivated_at on its tokens answer 401 and cannot be rotated back;
-- null = active. The row stays: events and history name the agent.
alter table agent add column deactivated_at timestamptz;
