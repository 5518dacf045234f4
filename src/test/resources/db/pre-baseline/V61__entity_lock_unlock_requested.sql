-- Set, under the lock row's lock, by every unlock request made against the row's current grant; cleared by every
-- grant and every end. A release of a row with it unset knows that no request can be pending and frees the row in
-- one autocommit statement; one with it set takes the transactional path that concludes the requests (DESIGN.md §3,
-- benchmark P1). The flag, not a read of unlock_request in that statement: the statement's snapshot predates its
-- wait for the row lock, so it would miss a request committed during the wait, while the flag is re-read then.
alter table entity_lock add column unlock_requested boolean not null default false;
