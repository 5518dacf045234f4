-- Token lifecycle (issue 27): a rotated token stays valid until previous_token_valid_until (the grace period),
-- beside the new one; a revoked token's hash is replaced by that of a token nobody is shown.
alter table agent add column previous_token_hash text unique;
alter table agent add column previous_token_valid_until timestamptz;
