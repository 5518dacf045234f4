-- One global, strictly increasing sequence for the fencing tokens of every hold (locks, intents, claims).
create sequence fencing_token_seq;
