-- function: mailhound.changed_from(since pg_snapshot) returns timestamptz
-- what:     The earliest time of a record stored since the snapshot; null when none.
-- reads:    mailhound.events, mailhound.web_requests (loaded_txid, occurred_at)
-- writes:   nothing
-- callers:  detect, to find the first session an incremental run judges

create or replace function mailhound.changed_from(since pg_snapshot) returns timestamptz
language sql stable
as $$
    select least(
        (select min(occurred_at) from mailhound.events where mailhound.stored_after(loaded_txid, since)),
        (select min(occurred_at) from mailhound.web_requests where mailhound.stored_after(loaded_txid, since))
    )
$$;

comment on function mailhound.changed_from(pg_snapshot) is
    'Earliest occurred_at of the events and web requests stored by transactions the snapshot could not see; null when there are none.';
