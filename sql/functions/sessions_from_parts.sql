-- function: mailhound.sessions_from_parts() returns bigint
-- what:     Replaces the sessions with the parts build_session_part() built; returns the sessions.
-- reads:    mailhound.session_parts
-- writes:   mailhound.sessions, mailhound.findings (emptied), mailhound.session_parts (emptied)
-- callers:  detect --full, in the run's transaction, so a failed run leaves the previous sessions

create or replace function mailhound.sessions_from_parts() returns bigint
language plpgsql
as $$
declare
    moved bigint;
begin
    truncate mailhound.sessions, mailhound.findings;
    insert into mailhound.sessions select * from mailhound.session_parts;
    get diagnostics moved = row_count;
    truncate mailhound.session_parts;
    return moved;
end
$$;

comment on function mailhound.sessions_from_parts() is
    'Replaces mailhound.sessions with the parts built by build_session_part(); returns the sessions.';
