-- mailhound.events.session_key is now written by whoever inserts the row: ingest computes it as
-- it encodes each record (Sources/Ingest/SessionKey.swift), from the same text as before. As a
-- stored generated column it made the server copy every row twice within COPY: loading 1M stored
-- rows back took 6.1 s with it and 4.7 s without, on a PostgreSQL with default settings. The
-- values already stored stay. A row inserted without one (an actor beyond ASCII, whose lower case
-- depends on the database's locale; a server whose hash differs; an analyst's own insert) is
-- keyed by mailhound.fill_session_keys(), which ingest calls in the same transaction and detect at
-- its start; the partial index finds such rows.

alter table mailhound.events alter column session_key drop expression;

create index events_unkeyed on mailhound.events (tenant) where session_key is null;

comment on column mailhound.events.session_key is
    'The record''s session group as a 64-bit hash: mailhound.session_key_of(tenant, actor, source_session_id, client_ip, app), app being client_app_id, else app_id, else client_info. The records of one group, cut at 30-minute gaps, are its sessions. Written by ingest; null only until mailhound.fill_session_keys() sets it.';
