-- The signal-type registry (DESIGN.md §2): every type declares its decay policy; built-ins are seeded here.
-- decay_kind decides which of half_life_seconds / floor / ttl_seconds / window_seconds are set.
-- write_roles / reinforce_roles: roles allowed by the type itself ('*' = any role whose slice allows it).
create table signal_type (
    name                  text primary key,
    display_name          text             not null,
    description           text             not null default '',
    colour                text,
    decay_kind            text             not null
        check (decay_kind in ('EXPONENTIAL', 'EXPIRY', 'REINFORCEMENT_ONLY', 'PERMANENT')),
    half_life_seconds     bigint,
    min_half_life_seconds bigint,
    max_half_life_seconds bigint,
    floor                 double precision,
    ttl_seconds           bigint,
    window_seconds        bigint,
    max_intensity         double precision not null default 10 check (max_intensity > 0),
    deposit_cap           double precision check (deposit_cap > 0),
    write_roles           text[]           not null default '{*}',
    reinforce_roles       text[]           not null default '{validator,admin}',
    service_owned         boolean          not null default false,
    built_in              boolean          not null default false,
    created_at            timestamptz      not null,
    created_by            text             not null,
    check (decay_kind <> 'EXPONENTIAL' or (half_life_seconds > 0 and floor > 0)),
    check (decay_kind <> 'EXPIRY' or ttl_seconds > 0),
    check (decay_kind <> 'REINFORCEMENT_ONLY' or window_seconds > 0),
    check (decay_kind <> 'PERMANENT' or service_owned)
);

insert into signal_type (name, display_name, description, colour, decay_kind, half_life_seconds,
                         min_half_life_seconds, max_half_life_seconds, floor, ttl_seconds, window_seconds,
                         max_intensity, deposit_cap, service_owned, built_in, created_at, created_by) values
    ('importance', 'Importance', 'How much a job matters; long-lived', '#d62728',
        'EXPIRY', null, null, null, null, 2592000, null, 10, null, false, true, now(), 'service'),
    ('saturation', 'Saturation', 'How many agents already crowd an entity', '#7f7f7f',
        'EXPONENTIAL', 1800, 60, 86400, 0.05, null, null, 10, null, false, true, now(), 'service'),
    ('takeup_interest', 'Take-up interest', 'An agent means to take the job up soon', '#2ca02c',
        'EXPONENTIAL', 300, 30, 3600, 0.05, null, null, 10, null, false, true, now(), 'service'),
    ('workingonit', 'Working on it', 'An agent is working on the entity right now', '#1f77b4',
        'EXPONENTIAL', 120, 15, 900, 0.05, null, null, 10, null, false, true, now(), 'service'),
    ('task_not_ready', 'Task not ready', 'The job cannot be taken up yet (pairs with available)', '#ff7f0e',
        'EXPIRY', null, null, null, null, 86400, null, 10, null, false, true, now(), 'service'),
    ('available', 'Available', 'The job is ready to be taken up (pairs with task_not_ready)', '#17becf',
        'EXPIRY', null, null, null, null, 86400, null, 10, null, false, true, now(), 'service'),
    ('request_split', 'Request split', 'The job is too big and should be split', '#9467bd',
        'EXPONENTIAL', 7200, 600, 86400, 0.05, null, null, 10, null, false, true, now(), 'service'),
    ('reviewadded', 'Review added', 'A review was added; strength is the validators'' verdicts', '#8c564b',
        'REINFORCEMENT_ONLY', null, null, null, null, null, 86400, 10, null, false, true, now(), 'service'),
    ('blocked', 'Blocked', 'The entity is blocked by something outside it', '#e377c2',
        'EXPONENTIAL', 3600, 300, 86400, 0.05, null, null, 10, null, false, true, now(), 'service'),
    ('files_blocked', 'Files blocked', 'Kept by the service while an L4 intent holds files', '#000000',
        'PERMANENT', null, null, null, null, null, null, 10, null, true, true, now(), 'service');
