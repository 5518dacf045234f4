-- Announces every event on channel stigmergy_event with its id as payload (DESIGN.md §5). NOTIFY is
-- delivered at commit, to every replica's listener, and not at all when the transaction rolls back; the
-- listeners read the log itself, so the payload is only a hint.
create function event_notify() returns trigger
    language plpgsql as
$$
begin
    perform pg_notify('stigmergy_event', new.id::text);
    return null;
end
$$;

create trigger event_notify
    after insert on event
    for each row
execute function event_notify();
