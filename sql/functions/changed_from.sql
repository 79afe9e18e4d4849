-- function: mailhound.changed_from(since pg_snapshot) returns timestamptz
-- what:     The earliest time of a record stored since the snapshot; null when none.
-- reads:    mailhound.events, mailhound.web_requests (loaded_txid, occurred_at)
-- writes:   nothing
-- callers:  detect, to find the first session an incremental run judges

-- PL/pgSQL, planned for the snapshot at hand (EXECUTE): Citus plans no SQL function over
-- distributed tables called inside another query, and a generic plan would scan every record.
create or replace function mailhound.changed_from(since pg_snapshot) returns timestamptz
language plpgsql stable
as $$
declare
    earliest timestamptz;
begin
    execute $changed$
        select least(
            (select min(occurred_at) from mailhound.events where mailhound.stored_after(loaded_txid, $1)),
            (select min(occurred_at) from mailhound.web_requests where mailhound.stored_after(loaded_txid, $1))
        )
    $changed$ into earliest using since;
    return earliest;
end
$$;

comment on function mailhound.changed_from(pg_snapshot) is
    'Earliest occurred_at of the events and web requests stored by transactions the snapshot could not see; null when there are none.';
