-- function: mailhound.build_session_part(part integer, parts integer) returns bigint
-- what:     Adds the sessions of one part of the groups counted in mailhound.session_counts to
--           mailhound.session_parts.
-- reads:    mailhound.session_counts, through mailhound.cut_sessions()
-- writes:   mailhound.session_parts
-- callers:  detect --full, one call a part, each on a connection of its own

create or replace function mailhound.build_session_part(part integer, parts integer) returns bigint
language plpgsql
as $$
declare
    built bigint;
begin
    -- In time order, so that each part's sessions lie in the table as they happened: the
    -- detectors and the working hours read the last weeks' sessions, and a range of time is then a
    -- run of pages rather than a few rows on every page.
    insert into mailhound.session_parts select * from mailhound.cut_sessions(part, parts) order by first_seen;
    get diagnostics built = row_count;
    return built;
end
$$;

comment on function mailhound.build_session_part(integer, integer) is
    'Adds the sessions of one part of the groups to mailhound.session_parts; run by detect --full on a connection of its own.';
