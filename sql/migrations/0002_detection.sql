-- Sessions, detectors, detection runs, findings and the allow-list.

create table mailhound.sessions (
    tenant text not null,
    session_id text not null,
    session_group text not null,
    actor text,
    actor_kind text not null,
    client_ip inet,
    client_ips inet[] not null,
    client text,
    source_session_id text,
    first_seen timestamptz not null,
    last_seen timestamptz not null,
    events integer not null,
    items bigint not null,
    bytes bigint not null,
    mailbox_owners text[] not null,
    access_types text[] not null,
    operations text[] not null,
    primary key (tenant, session_id)
);

create index sessions_group_time on mailhound.sessions (tenant, session_group, first_seen, last_seen);

comment on table mailhound.sessions is
    'Activity grouped into sessions: by SessionId when the records carry one, else by actor, client address and app with a 30-minute inactivity gap.';
comment on column mailhound.sessions.tenant is 'Tenant of the session.';
comment on column mailhound.sessions.session_id is 'Session id: 16 hex digits, stable across reruns for the same records.';
comment on column mailhound.sessions.session_group is 'The grouping key its events share (see mailhound.events.session_group).';
comment on column mailhound.sessions.actor is 'Who acted.';
comment on column mailhound.sessions.actor_kind is 'Most privileged kind seen in the session: system > app > admin > delegate > user.';
comment on column mailhound.sessions.client_ip is 'Most frequent client address.';
comment on column mailhound.sessions.client_ips is 'Every client address seen in the session.';
comment on column mailhound.sessions.client is 'Client: ClientInfoString, else the app id.';
comment on column mailhound.sessions.source_session_id is 'The records'' SessionId, when the session was built from it.';
comment on column mailhound.sessions.first_seen is 'First event (UTC).';
comment on column mailhound.sessions.last_seen is 'Last event (UTC).';
comment on column mailhound.sessions.events is 'Number of records in the session.';
comment on column mailhound.sessions.items is 'Items accessed (sum of events.items).';
comment on column mailhound.sessions.bytes is 'Bytes of the items listed, in bytes.';
comment on column mailhound.sessions.mailbox_owners is 'Distinct mailboxes touched, lower-case.';
comment on column mailhound.sessions.access_types is 'Distinct MailAccessType values (Bind, Sync).';
comment on column mailhound.sessions.operations is 'Distinct operations in the session.';

-- Rebuilds every session from the events. Time comes from the data only.
create function mailhound.rebuild_sessions() returns bigint
language sql as $$
    delete from mailhound.sessions;
    with ordered as (
        select
            e.*,
            case
                when lag(e.occurred_at) over w is null then 1
                when e.source_session_id is not null then 0
                when e.occurred_at - lag(e.occurred_at) over w > interval '30 minutes' then 1
                else 0
            end as starts_session
        from mailhound.events as e
        window w as (partition by e.tenant, e.session_group order by e.occurred_at, e.record_id)
    ),
    numbered as (
        select
            o.*,
            sum(o.starts_session) over (
                partition by o.tenant, o.session_group order by o.occurred_at, o.record_id
                rows unbounded preceding
            ) as session_number
        from ordered as o
    ),
    grouped as (
        select
            tenant,
            session_group,
            session_number,
            min(actor) as actor,
            (array_agg(actor_kind order by case actor_kind
                when 'system' then 0 when 'app' then 1 when 'admin' then 2 when 'delegate' then 3 else 4 end))[1]
                as actor_kind,
            mode() within group (order by client_ip) as client_ip,
            coalesce(array_agg(distinct client_ip) filter (where client_ip is not null), '{}') as client_ips,
            mode() within group (order by coalesce(client_info, nullif(client_app_id, ''), app_id)) as client,
            min(source_session_id) as source_session_id,
            min(occurred_at) as first_seen,
            max(occurred_at) as last_seen,
            count(*) as events,
            sum(items) as items,
            sum(bytes) as bytes,
            coalesce(array_agg(distinct lower(mailbox_owner)) filter (where mailbox_owner is not null), '{}')
                as mailbox_owners,
            coalesce(array_agg(distinct access_type) filter (where access_type is not null), '{}') as access_types,
            array_agg(distinct operation) as operations
        from numbered
        group by tenant, session_group, session_number
    )
    insert into mailhound.sessions
    select
        tenant,
        left(md5(tenant || '|' || session_group || '|'
            || case when source_session_id is null then first_seen::text else '' end), 16),
        session_group, actor, actor_kind, client_ip, client_ips, client, source_session_id,
        first_seen, last_seen, events, items, bytes, mailbox_owners, access_types, operations
    from grouped;
    select count(*) from mailhound.sessions;
$$;

comment on function mailhound.rebuild_sessions() is 'Recomputes mailhound.sessions from mailhound.events; run by mailhound detect.';

create table mailhound.detectors (
    detector_id text primary key,
    title text not null,
    severity text not null,
    file_name text not null,
    sha256 text not null,
    sql_text text not null,
    loaded_at timestamptz not null default now()
);

comment on table mailhound.detectors is 'The detector files of the last detection run: id, header and full SQL text.';
comment on column mailhound.detectors.detector_id is 'Detector id (the file name without .sql).';
comment on column mailhound.detectors.title is 'One-line title from the file header.';
comment on column mailhound.detectors.severity is 'Severity from the file header.';
comment on column mailhound.detectors.file_name is 'File under sql/detectors.';
comment on column mailhound.detectors.sha256 is 'SHA-256 of the file text.';
comment on column mailhound.detectors.sql_text is 'The file as run.';
comment on column mailhound.detectors.loaded_at is 'When it was last loaded (wall clock).';

create table mailhound.detection_runs (
    run_id bigint generated always as identity primary key,
    started_at timestamptz not null default now(),
    finished_at timestamptz,
    status text not null default 'running' check (status in ('running', 'succeeded', 'failed')),
    detectors jsonb not null default '[]',
    data_from timestamptz,
    data_until timestamptz,
    events bigint,
    sessions bigint,
    findings bigint
);

comment on table mailhound.detection_runs is 'One row per mailhound detect: when, which detector files (with hashes) and what it found.';
comment on column mailhound.detection_runs.run_id is 'Run number.';
comment on column mailhound.detection_runs.started_at is 'Start (wall clock).';
comment on column mailhound.detection_runs.finished_at is 'End (wall clock).';
comment on column mailhound.detection_runs.status is 'running, succeeded or failed.';
comment on column mailhound.detection_runs.detectors is 'Detectors run: [{"id":...,"sha256":...}].';
comment on column mailhound.detection_runs.data_from is 'Oldest event in the data when the run started.';
comment on column mailhound.detection_runs.data_until is 'Newest event in the data: every window is relative to this, not to the wall clock.';
comment on column mailhound.detection_runs.events is 'Events in the database.';
comment on column mailhound.detection_runs.sessions is 'Sessions built.';
comment on column mailhound.detection_runs.findings is 'Findings produced (suppressed ones included).';

create table mailhound.findings (
    tenant text not null,
    session_id text not null,
    detector_id text not null,
    run_id bigint not null references mailhound.detection_runs (run_id),
    points integer not null check (points between 0 and 100),
    reason text not null,
    evidence jsonb not null,
    suppressed_by bigint,
    primary key (tenant, session_id, detector_id)
);

comment on table mailhound.findings is 'What each detector found in each session, from the latest detection run.';
comment on column mailhound.findings.tenant is 'Tenant of the session.';
comment on column mailhound.findings.session_id is 'The session (mailhound.sessions).';
comment on column mailhound.findings.detector_id is 'The detector (mailhound.detectors).';
comment on column mailhound.findings.run_id is 'The detection run that produced it.';
comment on column mailhound.findings.points is 'Weight 0-100: how strongly this alone indicates theft.';
comment on column mailhound.findings.reason is 'One human sentence explaining the finding.';
comment on column mailhound.findings.evidence is 'Counts, mailboxes, addresses and thresholds behind the finding.';
comment on column mailhound.findings.suppressed_by is 'The allow-list entry that suppresses it, if any; suppressed findings do not score.';

create table mailhound.allowlist (
    tenant text not null,
    entry_id bigint generated always as identity,
    actor text,
    app_id text,
    client_network cidr,
    detector_id text,
    reason text not null,
    expires_at timestamptz,
    created_at timestamptz not null default now(),
    primary key (tenant, entry_id)
);

comment on table mailhound.allowlist is 'Known-good actors, apps or networks; matching findings are kept but marked suppressed.';
comment on column mailhound.allowlist.tenant is 'Tenant the entry applies to.';
comment on column mailhound.allowlist.entry_id is 'Entry number.';
comment on column mailhound.allowlist.actor is 'Actor to match (case-insensitive); null matches any.';
comment on column mailhound.allowlist.app_id is 'App id to match against the session''s events; null matches any.';
comment on column mailhound.allowlist.client_network is 'Network the session''s address must be in; null matches any.';
comment on column mailhound.allowlist.detector_id is 'Detector to suppress; null suppresses all.';
comment on column mailhound.allowlist.reason is 'Why this is benign (ticket, owner).';
comment on column mailhound.allowlist.expires_at is 'Entry stops applying after this wall-clock time; null never expires.';
comment on column mailhound.allowlist.created_at is 'When it was added.';
