-- Lets PostgreSQL inline pheromone_bound_term (V55) and pow2 (V60) into the queries that call them, instead of
-- running each call through the SQL-function executor: the aggregate triggers call them for every row written, and
-- those calls were most of a deposit's cost in PostgreSQL (benchmark P2: a raw insert and a repeat deposit's update
-- each ran about twice as fast with them inlined). Results are unchanged, bit for bit.
--
-- A SQL function is inlined only when its body is no more volatile than the function is declared and, for a STRICT
-- one, when the body is strict too. pheromone_bound_term is IMMUTABLE but called extract(epoch from timestamptz),
-- which PostgreSQL marks STABLE; it now takes the epoch of an interval (immutable), the same exact numeric.
-- 1767225600 was the epoch of the origin 2026-01-01T00:00:00Z. pow2 was STRICT around a CASE; it now answers
-- null for null through power() instead.
create or replace function pheromone_bound_term(decay_kind text, type_half_life bigint, max_intensity double precision,
                                                intensity double precision, deposited_at timestamptz, half_life bigint,
                                                visible_until timestamptz)
    returns double precision language sql immutable parallel safe as
$$
select case
           when decay_kind = 'REINFORCEMENT_ONLY' then ln(max_intensity) / ln(2.0)
           when intensity <= 0 then null
           when decay_kind <> 'EXPONENTIAL' then ln(intensity) / ln(2.0)
           when coalesce(half_life, type_half_life) <= type_half_life or visible_until is null
               then ln(intensity) / ln(2.0)
                    + cast(extract(epoch from deposited_at - timestamptz '2026-01-01 00:00:00+00') as double precision)
                      / type_half_life
           else ln(intensity) / ln(2.0)
                    - cast(extract(epoch from visible_until - deposited_at) as double precision) / half_life
                    + cast(extract(epoch from visible_until - timestamptz '2026-01-01 00:00:00+00') as double precision)
                      / type_half_life
       end
$$;

create or replace function pow2(x double precision) returns double precision
    language sql immutable parallel safe
as $$
select case when x < -1022 then 0 else power(2.0, x) end
$$;
