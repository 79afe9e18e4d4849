-- function: mailhound.utc_text(t timestamptz) returns text
-- what:     Times as reports print them: ISO 8601 in UTC to the second.
-- reads:    its argument
-- writes:   nothing
-- callers:  the CLI's listings, coverage details

create or replace function mailhound.utc_text(t timestamptz) returns text
language sql stable
as $$ select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') $$;

comment on function mailhound.utc_text(timestamptz) is 'The time as ISO 8601 UTC text, e.g. 2021-03-02T02:10:04Z.';
