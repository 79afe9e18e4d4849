-- function: mailhound.session_group(actor text, source_session_id text, client_ip inet, app text) returns text
-- what:     The text that names a record's session group: its actor (lower case) and its SessionId,
--           or, without one, its address and app (client app id, else app id, else client info).
--           mailhound.events.session_key is a 64-bit hash of the tenant, '|' and this text
--           (migration 0023 writes the same expression out for that generated column).
-- reads:    its arguments
-- writes:   nothing
-- callers:  cut_sessions (the group text each session keeps), session_key_of, and with record_app
--           the record-to-session views and apply_allowlist

create or replace function mailhound.session_group(actor text, source_session_id text, client_ip inet, app text)
returns text
language sql immutable parallel safe
as $$
    select coalesce(lower(actor), '') || '|'
        || case
            when source_session_id is not null then 'sid|' || source_session_id
            else 'net|' || coalesce(host(client_ip), '') || '|' || coalesce(app, '')
        end
$$;

comment on function mailhound.session_group(text, text, inet, text) is
    'The text naming a record''s session group (actor and SessionId, or actor, address and app); mailhound.events.session_key hashes the tenant and this text.';
