-- function: mailhound.record_app(client_app_id text, app_id text, client_info text) returns text
-- what:     The app that names a record's session group when it has no SessionId: its client app
--           id, else its app id, else its client info (empty ids count as none). Ingest computes
--           the same for the keys it writes (Sources/Ingest/SessionKey.swift).
-- reads:    its arguments
-- writes:   nothing
-- callers:  cut_sessions, fill_session_keys, apply_allowlist, analyst.mailbox_events,
--           analyst.session_timeline

create or replace function mailhound.record_app(client_app_id text, app_id text, client_info text)
returns text
language sql immutable parallel safe
as $$
    select coalesce(nullif(client_app_id, ''), nullif(app_id, ''), client_info)
$$;

comment on function mailhound.record_app(text, text, text) is
    'The app that names a record''s session group without a SessionId: its client app id, else its app id, else its client info.';
