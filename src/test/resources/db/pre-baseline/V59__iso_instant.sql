-- An instant as java.time writes it (DateTimeFormatter.ISO_INSTANT, what Jackson writes into event data):
-- UTC with Z, the fraction in groups of three digits and left out when zero. Statements that build event data
-- in SQL (LockService's one-statement release) use it, so their events read like every other event.
create function iso_instant(t timestamptz) returns text
    language sql immutable strict parallel safe
as $$
select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
           || case
                  when extract(microseconds from t)::bigint % 1000000 = 0 then ''
                  when extract(microseconds from t)::bigint % 1000 = 0 then to_char(t at time zone 'UTC', '.MS')
                  else to_char(t at time zone 'UTC', '.US')
              end
           || 'Z'
$$;
