-- function: mailhound.values_digest_of(tenant text, actor text, source_session_id text, actor_kind text,
--           client_ip inet, client_info text, client_app_id text, app_id text, mailbox_owner text,
--           access_type text, operation text) returns uuid
-- what:     The values a session gathers from a record, as the first 16 bytes of the SHA-256 of
--           their text: each value as its length in bytes, a colon and the value (a null as '-'),
--           in the order of the arguments, the address as inet writes it (abbrev: no /32 or /128).
-- reads:    its arguments
-- writes:   nothing
-- callers:  fill_session_keys, count_session_rows (for events stored without a digest); analysts
--           and mailhound-lab inserting events themselves. Ingest computes the same value as it
--           encodes a row (Sources/Ingest/ValuesDigest.swift).
--
-- The lengths keep values apart that would otherwise run together. 128 bits of SHA-256 make two
-- sets of values with one digest a matter of 2^64 work, so the count takes records with one
-- digest for records with the same values, which a 64-bit lookup3 hash could not promise: its
-- seed is public, and a log's author chooses the client text.

create or replace function mailhound.values_digest_of(
    tenant text, actor text, source_session_id text, actor_kind text, client_ip inet, client_info text,
    client_app_id text, app_id text, mailbox_owner text, access_type text, operation text
) returns uuid
language sql immutable parallel safe
as $$
    select encode(substring(sha256(convert_to(
        coalesce(octet_length(tenant) || ':' || tenant, '-')
        || coalesce(octet_length(actor) || ':' || actor, '-')
        || coalesce(octet_length(source_session_id) || ':' || source_session_id, '-')
        || coalesce(octet_length(actor_kind) || ':' || actor_kind, '-')
        || coalesce(octet_length(abbrev(client_ip)) || ':' || abbrev(client_ip), '-')
        || coalesce(octet_length(client_info) || ':' || client_info, '-')
        || coalesce(octet_length(client_app_id) || ':' || client_app_id, '-')
        || coalesce(octet_length(app_id) || ':' || app_id, '-')
        || coalesce(octet_length(mailbox_owner) || ':' || mailbox_owner, '-')
        || coalesce(octet_length(access_type) || ':' || access_type, '-')
        || coalesce(octet_length(operation) || ':' || operation, '-'),
        'UTF8')) for 16), 'hex')::uuid
$$;

comment on function mailhound.values_digest_of(text, text, text, text, inet, text, text, text, text, text, text) is
    'The values a session gathers from a record as a 128-bit digest (mailhound.events.values_digest): the first 16 bytes of the SHA-256 of their text.';
