-- How far retention has removed the event log (issue 29): every event with id <= removed_up_to is gone, every
-- later one is kept. One row; its row lock also elects the one replica that removes events at a time. A reader
-- resuming after a position below it answers 410 with the oldest position kept (GET /events, Last-Event-ID).
create table event_retention (
    singleton     boolean primary key default true check (singleton),
    removed_up_to bigint  not null
);

insert into event_retention (singleton, removed_up_to) values (true, 0);
