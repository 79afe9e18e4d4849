-- function: mailhound.fill_session_keys() returns bigint
-- what:     Sets mailhound.events.session_key where it is null (mailhound.session_key_of), with
--           the row's values_digest where that is null too (mailhound.values_digest_of), and
--           returns how many rows it set.
-- reads:    the events without a key (the partial index events_unkeyed)
-- writes:   their session_key and values_digest
-- callers:  ingest, in a batch's transaction when it left keys to the server; detect, at its start,
--           for rows inserted by other means
--
-- Ingest leaves a key to the server where only the server computes it the same way: an actor with
-- characters beyond ASCII (lower() follows the database's locale) or an IPv6 address written with an
-- embedded IPv4 one, or every key when the server's hash or lower case differs from ingest's; it
-- leaves the digest with the key. Runs as the table's owner (security definer): loaders and
-- detectors may not update events.

create or replace function mailhound.fill_session_keys() returns bigint
language plpgsql security definer
set search_path = pg_catalog, pg_temp
as $$
declare
    keyed bigint;
begin
    update mailhound.events
    set session_key = mailhound.session_key_of(
            tenant, actor, source_session_id, client_ip, mailhound.record_app(client_app_id, app_id, client_info)),
        values_digest = coalesce(values_digest, mailhound.values_digest_of(
            tenant, actor, source_session_id, actor_kind, client_ip, client_info, client_app_id, app_id,
            mailbox_owner, access_type, operation))
    where session_key is null;
    get diagnostics keyed = row_count;
    return keyed;
end
$$;

revoke execute on function mailhound.fill_session_keys() from public;

comment on function mailhound.fill_session_keys() is
    'Sets the session key of events stored without one (ingest leaves a few to the server); returns how many.';
