-- function: mailhound.hold_events_for_load() returns boolean
-- what:     Takes the lock autovacuum needs on mailhound.events (share update exclusive) for the
--           rest of the caller's transaction, without waiting; true when it did.
-- reads:    nothing
-- writes:   nothing; rows are still inserted and read (row exclusive and access share do not conflict)
-- callers:  ingest, on a connection of its own, while a load that dropped the group-key index runs
--
-- During a large load the table's inserts start autovacuum's insert-triggered vacuum. Its lock
-- then stops the index build at the end, which waits deadlock_timeout (1 s by default) until the
-- server cancels the vacuum, and the vacuum's work is lost: about half of the 1M-record loads on a
-- PostgreSQL with default settings lost that second. Held, autovacuum skips the table until the
-- load ends and vacuums it afterwards. An analyst's VACUUM or ANALYZE of the table waits for the
-- load meanwhile. Runs as the owner (security definer): LOCK in this mode needs more than a
-- loader's insert privilege.

create or replace function mailhound.hold_events_for_load() returns boolean
language plpgsql security definer
set search_path = pg_catalog, pg_temp
as $$
begin
    lock table mailhound.events in share update exclusive mode nowait;
    return true;
exception when lock_not_available then
    return false;
end
$$;

revoke execute on function mailhound.hold_events_for_load() from public;

comment on function mailhound.hold_events_for_load() is
    'Keeps autovacuum off mailhound.events for the rest of the caller''s transaction (a large load); true when it could.';
