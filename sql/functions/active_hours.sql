-- function: mailhound.active_hours(first_seen timestamptz, last_seen timestamptz) returns integer
-- what:     The hours of the day (UTC) a session was active in, as bits of a 24-bit mask (bit h for
--           hour h): every hour from its first record's to its last one's, all 24 from a day on.
-- reads:    its arguments
-- writes:   nothing
-- callers:  off-hours, operation-context (an actor's usual hours)

-- An Outlook session can last the working day: the hour it began says little of the hours worked.
create or replace function mailhound.active_hours(first_seen timestamptz, last_seen timestamptz) returns integer
language sql immutable parallel safe
as $$
    -- The span's bits rotated to begin at the first hour (PostgreSQL gives & | << >> one
    -- precedence, left to right: hence the parentheses).
    select (((spanned << start) & 16777215) | ((spanned << start) >> 24))::integer
    from (
        select
            extract(hour from first_seen at time zone 'UTC')::integer as start,
            (1::bigint << least(
                24,
                floor(
                    extract(epoch from date_trunc('hour', last_seen at time zone 'UTC')
                        - date_trunc('hour', first_seen at time zone 'UTC')) / 3600
                ) + 1
            )::integer) - 1 as spanned
    ) as hours
$$;

comment on function mailhound.active_hours(timestamptz, timestamptz) is
    'The UTC hours from a session''s first record to its last (all 24 from a day on), as a 24-bit mask: bit h is hour h.';
