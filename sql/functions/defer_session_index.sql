-- function: mailhound.defer_session_index(incoming_bytes bigint) returns boolean
-- what:     Drops the group-key index of mailhound.events before a load of incoming_bytes of input
--           when that is at least four times the events' stored size, writing its definition to
--           mailhound.deferred_indexes; true when it did. The caller then holds this session's
--           advisory lock (1835560, 2) until mailhound.restore_deferred_indexes() has built it again.
-- reads:    the size of mailhound.events
-- writes:   mailhound.deferred_indexes; drops mailhound.events_session_key
-- callers:  ingest, before its first batch
--
-- Each row goes to a random place in that index (its key is a hash), so adding rows one by one
-- costs far more than building it once from all of them: on a PostgreSQL with default settings a
-- 1M-record load took 26-30 s with it and 21-23 s plus 2.6 s to build it after. A load smaller
-- than that share of the table keeps it: building it again would read every stored row. Only the
-- table's owner may drop its indexes, so the function runs as its owner (security definer). It
-- gives up, rather than wait, when another session holds the table (a detect, an analyst's query)
-- or is itself loading without the index. Not on Citus, where it is on every shard and this is not
-- measured.

create or replace function mailhound.defer_session_index(incoming_bytes bigint) returns boolean
language plpgsql security definer
set search_path = pg_catalog, pg_temp
as $$
begin
    if to_regclass('pg_catalog.pg_dist_partition') is not null
        or to_regclass('mailhound.events_session_key') is null
        or incoming_bytes < 4 * pg_table_size('mailhound.events')
        or not pg_try_advisory_lock(1835560, 2)
    then
        return false;
    end if;
    perform set_config('lock_timeout', '2s', true);
    begin
        -- A row left by a load that died, whose index was built again by hand, is replaced.
        insert into mailhound.deferred_indexes (index_name, definition)
        values ('events_session_key', pg_get_indexdef('mailhound.events_session_key'::regclass))
        on conflict (index_name) do update set definition = excluded.definition, deferred_at = now();
        drop index mailhound.events_session_key;
    exception when lock_not_available then
        perform pg_advisory_unlock(1835560, 2);
        return false;
    end;
    return true;
end
$$;

revoke execute on function mailhound.defer_session_index(bigint) from public;

comment on function mailhound.defer_session_index(bigint) is
    'Drops the group-key index of mailhound.events before a load at least four times the stored events, to build it once at the end (restore_deferred_indexes); true when it did.';
