-- Lets PostgreSQL inline iso_instant (V59) into the statements that call it, as V62 did for the decay terms: the
-- lock's one-statement release calls it twice, and each call through the SQL-function executor made the pair of
-- lock statements about a third slower (benchmark P1). A SQL function is inlined only when its body is no more
-- volatile than it is declared (to_char is STABLE) and, when STRICT, only if its body is strict (a CASE is not).
-- Same body, same answers: null for null, as before.
create or replace function iso_instant(t timestamptz) returns text
    language sql stable parallel safe
as $$
select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
           || case
                  when extract(microseconds from t)::bigint % 1000000 = 0 then ''
                  when extract(microseconds from t)::bigint % 1000 = 0 then to_char(t at time zone 'UTC', '.MS')
                  else to_char(t at time zone 'UTC', '.US')
              end
           || 'Z'
$$;
