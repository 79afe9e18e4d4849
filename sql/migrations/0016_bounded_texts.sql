-- Texts that reach an index or a key are bounded from now on: ingest keeps a longer value's first
-- bytes and a marker naming its length and SHA-256 (`…[3120 bytes, sha256 1f0c2a9e4b7d3e11]`), 512
-- bytes in all for identities, mailboxes and clients, 4096 for web URLs and user agents. Rows
-- stored before with longer values are shortened the same way here: one of them, a 3 KB mailbox
-- name, made every later coverage refresh fail on its key.

create function pg_temp.bounded(value text, limit_bytes integer) returns text
language plpgsql immutable as $$
declare
    marker text;
    kept text;
begin
    if value is null or octet_length(value) <= limit_bytes then
        return value;
    end if;
    marker := '…[' || octet_length(value) || ' bytes, sha256 '
        || left(encode(sha256(convert_to(value, 'UTF8')), 'hex'), 16) || ']';
    kept := left(value, limit_bytes - octet_length(marker));
    while octet_length(kept) > limit_bytes - octet_length(marker) loop
        kept := left(kept, -1);
    end loop;
    return kept || marker;
end
$$;

update mailhound.events
set tenant = pg_temp.bounded(tenant, 512),
    workload = pg_temp.bounded(workload, 512),
    operation = pg_temp.bounded(operation, 512),
    result_status = pg_temp.bounded(result_status, 512),
    actor = pg_temp.bounded(actor, 512),
    mailbox_owner = pg_temp.bounded(mailbox_owner, 512),
    mailbox_guid = pg_temp.bounded(mailbox_guid, 512),
    client_info = pg_temp.bounded(client_info, 512),
    app_id = pg_temp.bounded(app_id, 512),
    client_app_id = pg_temp.bounded(client_app_id, 512),
    source_session_id = pg_temp.bounded(source_session_id, 512),
    access_type = pg_temp.bounded(access_type, 512),
    object_id = pg_temp.bounded(object_id, 512),
    origin_server = pg_temp.bounded(origin_server, 512),
    folders = array(select pg_temp.bounded(folder, 512) from unnest(folders) as folder)
where greatest(
        octet_length(tenant), octet_length(workload), octet_length(operation), octet_length(result_status),
        octet_length(actor), octet_length(mailbox_owner), octet_length(mailbox_guid), octet_length(client_info),
        octet_length(app_id), octet_length(client_app_id), octet_length(source_session_id),
        octet_length(access_type), octet_length(object_id), octet_length(origin_server),
        octet_length(array_to_string(folders, ''))
    ) > 512;

update mailhound.web_requests
set tenant = pg_temp.bounded(tenant, 512),
    server = pg_temp.bounded(server, 512),
    protocol = pg_temp.bounded(protocol, 512),
    method = pg_temp.bounded(method, 512),
    url_stem = pg_temp.bounded(url_stem, 4096),
    url_query = pg_temp.bounded(url_query, 4096),
    authenticated_user = pg_temp.bounded(authenticated_user, 512),
    user_agent = pg_temp.bounded(user_agent, 4096),
    anchor_mailbox = pg_temp.bounded(anchor_mailbox, 512),
    routing_hint = pg_temp.bounded(routing_hint, 512),
    backend_cookie = pg_temp.bounded(backend_cookie, 4096)
where greatest(
        octet_length(tenant), octet_length(server), octet_length(protocol), octet_length(method),
        octet_length(authenticated_user), octet_length(anchor_mailbox), octet_length(routing_hint)
    ) > 512
    or greatest(
        octet_length(url_stem), octet_length(url_query), octet_length(user_agent), octet_length(backend_cookie)
    ) > 4096;

comment on column mailhound.events.actor is
    'Who acted: UAL UserId (UPN, NT AUTHORITY\SYSTEM, ServicePrincipal_...). Texts of events over 512 bytes keep their first bytes and a marker …[N bytes, sha256 16 hex digits]; raw keeps the whole.';
