-- Each identity's sessions of a day from one address and client, written by detect once the
-- sessions are cut. off-hours read every session of the judged days and the baseline window before them to
-- group them by actor and day, the organisation's blocks and new-client's look back at the
-- baseline window read the same sessions again, and slow-breadth read every session for the people
-- who read mail: 1.4 s, 0.5 s, 0.9 s and 0.6 s of an incremental run at 10M events in which only
-- the last day changed. A run now rewrites the days it
-- judges and keeps the rest. No key: each row is one group of a grouping of
-- the sessions.

create table mailhound.actor_days (
    tenant text not null,
    actor_key text not null,
    day date not null,
    client_ip inet,
    client text,
    sessions integer not null,
    last_start timestamptz not null,
    start_hours integer not null,
    active_hours integer not null,
    mail_reads integer not null
);

comment on table mailhound.actor_days is
    'Each identity''s sessions of a UTC day from one address and client, rolled up: how many, the latest start, and the hours they began and were active in; written by every detection run for the days it judges, and by prune.';
comment on column mailhound.actor_days.tenant is 'The tenant the sessions belong to.';
comment on column mailhound.actor_days.actor_key is 'The actor, lower-case.';
comment on column mailhound.actor_days.day is 'The UTC day the sessions began on.';
comment on column mailhound.actor_days.client_ip is 'The sessions'' main address (mailhound.sessions.client_ip); null for sessions without one.';
comment on column mailhound.actor_days.client is 'The sessions'' main client (mailhound.sessions.client); null for sessions without one.';
comment on column mailhound.actor_days.sessions is 'How many sessions the actor began that day from that address with that client.';
comment on column mailhound.actor_days.last_start is 'When the latest of them began (UTC).';
comment on column mailhound.actor_days.start_hours is 'The UTC hours the sessions began in, as a 24-bit mask: bit h is hour h.';
comment on column mailhound.actor_days.active_hours is
    'The UTC hours the sessions were active in (mailhound.active_hours of each, combined), as a 24-bit mask.';
comment on column mailhound.actor_days.mail_reads is
    'How many of the sessions read mail (MailItemsAccessed, MessageBind or FolderBind) as a person: a user, delegate or admin logon.';
