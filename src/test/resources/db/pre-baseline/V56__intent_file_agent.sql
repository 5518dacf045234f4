-- The holder of each held file, copied from its intent (an intent's agent never changes; a handover creates a
-- new intent). The overlap check skips the declaring agent's own files while scanning held prefixes, before it
-- looks their intents up (benchmark P4).
alter table intent_file add column agent text;
update intent_file f set agent = i.agent from intent i where i.id = f.intent_id;
alter table intent_file alter column agent set not null;
