-- function: mailhound.session_key_of(tenant text, actor text, source_session_id text, client_ip inet, app text) returns bigint
-- what:     The session key of a record: hashtextextended of the tenant, '|' and its
--           mailhound.session_group() text, seed 0. app is the record's client app id, else its
--           app id, else its client info (empty ids count as none).
-- reads:    its arguments
-- writes:   nothing
-- callers:  fill_session_keys; analysts and mailhound-lab inserting events themselves. Ingest
--           computes the same value as it encodes a row (Sources/Ingest/SessionKey.swift).

create or replace function mailhound.session_key_of(
    tenant text, actor text, source_session_id text, client_ip inet, app text
) returns bigint
language sql immutable parallel safe
as $$
    select hashtextextended(tenant || '|' || mailhound.session_group(actor, source_session_id, client_ip, app), 0)
$$;

comment on function mailhound.session_key_of(text, text, text, inet, text) is
    'The session key of a record (mailhound.events.session_key): a 64-bit hash of the tenant and mailhound.session_group().';
