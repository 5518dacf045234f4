-- Retention (issue 29) removes what ended longest ago first: ended intents by ended_at, decided (or expired,
-- withdrawn, obsolete) unlock requests by when they ended, verdicts by decided_at. Partial indexes leave live
-- rows out, so each batch reads only candidates.
create index intent_ended on intent (ended_at) where status <> 'ACTIVE';
create index unlock_request_ended on unlock_request ((coalesce(decided_at, expires_at))) where status <> 'PENDING';
create index pheromone_verdict_decided_at on pheromone_verdict (decided_at);
