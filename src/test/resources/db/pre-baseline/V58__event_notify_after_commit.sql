-- Events are announced on channel stigmergy_event by the service after the writing transaction committed
-- (EventNotifier), coalesced, no longer by a per-row trigger inside it: a transaction that has notified takes a
-- database-wide lock at commit and holds it through its commit record's flush, which serialised the commits of
-- every writer (benchmarks P1, P7: PostgreSQL spent a quarter of its CPU per lock cycle on it).
drop trigger event_notify on event;
drop function event_notify();
