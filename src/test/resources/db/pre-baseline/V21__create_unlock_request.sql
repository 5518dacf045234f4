-- Unlock requests (DESIGN.md §3) against any hold, addressed by (hold_kind, hold_id): a lock's hold id is
-- its fencing token; file intents use their own ids. A PENDING request past expires_at is EXPIRED (read
-- lazily; the sweep records it).
create table unlock_request (
    id                    bigint generated always as identity primary key,
    hold_kind             text        not null,
    hold_id               text        not null,
    entity                text        not null,
    environment           text        not null,
    holder                text        not null,
    requester             text        not null,
    reason                text        not null,
    handover              boolean     not null,
    status                text        not null check (status in
                              ('PENDING', 'APPROVED', 'REJECTED', 'WITHDRAWN', 'EXPIRED', 'OBSOLETE')),
    created_at            timestamptz not null,
    expires_at            timestamptz not null,
    decided_at            timestamptz,
    decided_by            text,
    note                  text,
    granted_fencing_token bigint
);

-- a repeated request from the same requester returns the pending one
create unique index unlock_request_one_pending on unlock_request (hold_kind, hold_id, requester)
    where status = 'PENDING';
create index unlock_request_pending_expiry on unlock_request (expires_at) where status = 'PENDING';
create index unlock_request_holder on unlock_request (holder, id);
create index unlock_request_requester on unlock_request (requester, id);
create index unlock_request_entity on unlock_request (entity, id);
