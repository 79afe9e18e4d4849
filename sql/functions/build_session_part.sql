-- function: mailhound.build_session_part(part integer, parts integer) returns bigint
-- what:     Adds the sessions of one part of the groups to mailhound.session_parts.
-- reads:    mailhound.events, through mailhound.session_rows()
-- writes:   mailhound.session_parts
-- callers:  detect --full, one call a part, each on a connection of its own

create or replace function mailhound.build_session_part(part integer, parts integer) returns bigint
language plpgsql
as $$
declare
    built bigint;
begin
    insert into mailhound.session_parts select * from mailhound.session_rows(null, part, parts);
    get diagnostics built = row_count;
    return built;
end
$$;

comment on function mailhound.build_session_part(integer, integer) is
    'Adds the sessions of one part of the groups to mailhound.session_parts; run by detect --full on a connection of its own.';
