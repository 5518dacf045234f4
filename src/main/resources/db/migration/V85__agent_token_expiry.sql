-- Optional expiry of an agent's current token (issue 27): past it the token answers 401; null = no expiry.
alter table agent add column token_expires_at timestamptz;
