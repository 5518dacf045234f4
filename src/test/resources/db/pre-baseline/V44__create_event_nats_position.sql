-- How far the NATS JetStream bridge has published the event log, per JetStream stream: every event with
-- id <= last_event_id was acknowledged by JetStream. The row lock also elects one publishing replica.
create table event_nats_position (
    stream        text primary key,
    last_event_id bigint not null
);
