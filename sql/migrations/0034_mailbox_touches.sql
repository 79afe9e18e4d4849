-- Each session's touches of other people's mailboxes, written by detect once the sessions are cut.
-- shared-mailbox tagging, slow-breadth, daily-breadth and campaign each unnested every session
-- that reaches another mailbox and ranked its touches again (0.6–0.9 s each at 10M events, in an
-- incremental run as in a full one); they now read what the run wrote once. Filled by the next
-- detect. No key: every row comes from one session's distinct owners, and a primary key took more
-- than the rest of the refresh to fill (1.2 s against 1.0 s for 115k touches).

create table mailhound.mailbox_touches (
    tenant text not null,
    session_id text not null,
    actor text not null,
    actor_key text not null,
    actor_kind text not null,
    operations text[] not null,
    mailbox text not null,
    first_seen timestamptz not null,
    last_seen timestamptz not null,
    touched_before timestamptz
);

comment on table mailhound.mailbox_touches is
    'Each session''s touches of mailboxes other than the actor''s own (shared ones included), with the same identity''s previous touch of each; written by every detection run after it cuts the sessions, and by prune.';
comment on column mailhound.mailbox_touches.tenant is 'The tenant the session belongs to.';
comment on column mailhound.mailbox_touches.session_id is 'The session (mailhound.sessions).';
comment on column mailhound.mailbox_touches.actor is 'The session''s actor as logged.';
comment on column mailhound.mailbox_touches.actor_key is 'The actor, lower-case.';
comment on column mailhound.mailbox_touches.actor_kind is 'The session''s actor kind (user, admin, delegate, app, system).';
comment on column mailhound.mailbox_touches.operations is 'Distinct operations in the session.';
comment on column mailhound.mailbox_touches.mailbox is 'The mailbox touched (lower-case owner), not the actor''s own.';
comment on column mailhound.mailbox_touches.first_seen is 'When the session began (UTC).';
comment on column mailhound.mailbox_touches.last_seen is 'When the session ended (UTC).';
comment on column mailhound.mailbox_touches.touched_before is 'When the same identity last touched this mailbox before this session (UTC); null the first time.';
