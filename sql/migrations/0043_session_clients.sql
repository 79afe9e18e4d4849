-- Every client a session used, beside its most common one: a sign-in session read from two
-- distant networks by one client is a device that moved (a phone from home Wi-Fi to its carrier),
-- by a second client a session copied to another machine (token-replay). Sessions cut before this
-- migration have none (null) until a run cuts them again.
alter table mailhound.sessions add column clients text[];
alter table mailhound.session_parts add column clients text[];
alter table mailhound.rebuilt_sessions add column clients text[];

comment on column mailhound.sessions.clients is
    'Every client seen in the session (ClientInfoString, else the app id); null for sessions cut before migration 0043 until a run cuts them again.';
comment on column mailhound.session_parts.clients is
    'As mailhound.sessions.clients: every client seen in the session.';
comment on column mailhound.rebuilt_sessions.clients is
    'As mailhound.sessions.clients: every client seen in the session.';
