-- function: mailhound.restore_deferred_indexes() returns integer
-- what:     Builds again the indexes mailhound.deferred_indexes lists, and empties it; returns how
--           many it built. Does nothing while a load that dropped them is still running (it holds
--           the advisory lock (1835560, 2)), unless called by that load's own session, whose lock
--           it then releases.
-- reads:    mailhound.deferred_indexes
-- writes:   mailhound.deferred_indexes; creates the indexes it lists
-- callers:  ingest (at its start and end), detect (at its start)
--
-- Runs as the owner of the tables (security definer) so that a loader or detector role can
-- finish what a load that died left undone. Two callers at once build each index once: the second
-- waits on the row lock and then finds the row gone. Advisory locks are the database's own (another
-- database of the cluster may be loading too). pg_locks shows other sessions' locks without
-- taking them; a load that starts between that look and the build finds the index there and keeps it.

create or replace function mailhound.restore_deferred_indexes() returns integer
language plpgsql security definer
set search_path = pg_catalog, pg_temp
as $$
declare
    deferred record;
    built integer := 0;
    held_here boolean;
    held_elsewhere boolean;
begin
    -- Who holds the loading lock (1835560, 2) in this database: this session (a load ending) or another.
    select coalesce(bool_or(pid = pg_backend_pid()), false), coalesce(bool_or(pid <> pg_backend_pid()), false)
    into held_here, held_elsewhere
    from pg_locks
    where locktype = 'advisory' and classid = 1835560 and objid = 2 and objsubid = 2
        and database = (select oid from pg_database where datname = current_database());
    if held_elsewhere then
        return 0;
    end if;
    for deferred in
        select index_name, definition from mailhound.deferred_indexes order by index_name for update
    loop
        if to_regclass('mailhound.' || quote_ident(deferred.index_name)) is null then
            execute deferred.definition;
            built := built + 1;
        end if;
        delete from mailhound.deferred_indexes where index_name = deferred.index_name;
    end loop;
    -- The load that dropped them held its lock until now.
    if held_here then
        perform pg_advisory_unlock(1835560, 2);
    end if;
    return built;
end
$$;

revoke execute on function mailhound.restore_deferred_indexes() from public;

comment on function mailhound.restore_deferred_indexes() is
    'Builds again the indexes a large load dropped (mailhound.deferred_indexes) unless that load is still running; returns how many.';
