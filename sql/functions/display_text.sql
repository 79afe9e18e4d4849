-- function: mailhound.display_text(t timestamptz) returns text
-- what:     Times as the CLI prints them: ISO 8601 to the second, in UTC with Z, or with --tz in
--           that zone with its offset (2021-03-02T03:10:04+01:00). Storage stays UTC.
-- reads:    its argument; the setting mailhound.display_zone
-- writes:   nothing
-- callers:  the CLI's listings (sessions, session, accounts, runs, errors, coverage, allow list)

create or replace function mailhound.display_text(t timestamptz) returns text
language sql stable
as $$
    select case
        when coalesce(current_setting('mailhound.display_zone', true), '') in ('', 'UTC') then mailhound.utc_text(t)
        else to_char(t at time zone current_setting('mailhound.display_zone'), 'YYYY-MM-DD"T"HH24:MI:SS')
            || case when offset_minutes < 0 then '-' else '+' end
            || to_char(abs(offset_minutes) / 60, 'FM00') || ':' || to_char(abs(offset_minutes) % 60, 'FM00')
    end
    from (
        select (extract(epoch from (t at time zone current_setting('mailhound.display_zone', true))
            - (t at time zone 'UTC')) / 60)::integer as offset_minutes
    ) as zone
$$;

comment on function mailhound.display_text(timestamptz) is
    'The time as ISO 8601 text: UTC with Z, or in the zone the setting mailhound.display_zone names, with its offset.';
