-- A full detect counted every event twice: each of its parts, one a core, read the whole events
-- table for the groups whose key fell to it. The events are now counted once, each part a range of
-- the table's blocks, into mailhound.session_counts; the parts then cut the sessions of their
-- groups from the counts (10M events: the session parts 24-25 s against 30 s side by side). An
-- incremental run counts the events of the groups it cuts again into the same table, so both cut
-- from one definition, mailhound.cut_sessions(), which replaces mailhound.session_rows().

-- Unlogged: it holds rows only during a detection run.
create unlogged table mailhound.session_counts (
    session_key bigint not null,
    tenant text not null,
    actor_kind text not null,
    client_ip inet,
    client_info text,
    client_app_id text,
    app_id text,
    mailbox_owner text,
    access_type text,
    operation text not null,
    actor text,
    source_session_id text,
    first_seen timestamptz not null,
    last_seen timestamptz not null,
    events bigint not null,
    items bigint not null,
    bytes numeric not null
);

comment on table mailhound.session_counts is
    'Scratch space of detect: the records of each session group counted into one row per distinct set of values (and per half hour for a group without a SessionId), filled by mailhound.count_session_events() and cut into sessions by mailhound.cut_sessions(). Empty between runs.';
comment on column mailhound.session_counts.session_key is 'As mailhound.events.session_key: the group''s 64-bit key.';
comment on column mailhound.session_counts.tenant is 'As mailhound.events.tenant.';
comment on column mailhound.session_counts.actor_kind is 'As mailhound.events.actor_kind.';
comment on column mailhound.session_counts.client_ip is 'As mailhound.events.client_ip.';
comment on column mailhound.session_counts.client_info is 'As mailhound.events.client_info.';
comment on column mailhound.session_counts.client_app_id is 'As mailhound.events.client_app_id.';
comment on column mailhound.session_counts.app_id is 'As mailhound.events.app_id.';
comment on column mailhound.session_counts.mailbox_owner is 'As mailhound.events.mailbox_owner.';
comment on column mailhound.session_counts.access_type is 'As mailhound.events.access_type.';
comment on column mailhound.session_counts.operation is 'As mailhound.events.operation.';
comment on column mailhound.session_counts.actor is 'The least actor text of the records counted (the group''s actor, its case aside).';
comment on column mailhound.session_counts.source_session_id is 'The least SessionId of the records counted (the group''s own, or none).';
comment on column mailhound.session_counts.first_seen is 'Time of the earliest record counted.';
comment on column mailhound.session_counts.last_seen is 'Time of the latest record counted.';
comment on column mailhound.session_counts.events is 'Records counted.';
comment on column mailhound.session_counts.items is 'Sum of the records'' items.';
comment on column mailhound.session_counts.bytes is 'Sum of the records'' bytes.';

drop function if exists mailhound.session_rows(pg_snapshot, integer, integer);
