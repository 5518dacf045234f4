-- A role's slice of the medium (DESIGN.md §1 "role"): the signal types it reads, writes and reinforces
-- (exact names, a family 'request.*', or '*'), and its local query. Service-owned types are never writable.
create table role_slice (
    role          text primary key references role (name),
    reads         text[]           not null default '{*}',
    writes        text[]           not null default '{}',
    reinforces    text[]           not null default '{}',
    environment   text,
    entity_kinds  text[]           not null default '{}',
    types         text[]           not null default '{}',
    min_intensity double precision not null default 0,
    query_limit   integer          not null default 50 check (query_limit between 1 and 1000)
);

insert into role_slice (role, reads, writes, reinforces) values
    ('agent',     '{*}', '{*}', '{}'),
    ('scout',     '{*}', '{importance,task_not_ready,available,request_split,blocked,discovery.*,request.*}', '{}'),
    ('worker',    '{*}', '{takeup_interest,workingonit,saturation,blocked,request_split,completion.*,error.*,claim.*,heartbeat.*,request.*}', '{}'),
    ('validator', '{*}', '{reviewadded,completion.*,error.*}', '{*}'),
    ('reviewer',  '{*}', '{}', '{}'),
    ('admin',     '{*}', '{*}', '{*}');
