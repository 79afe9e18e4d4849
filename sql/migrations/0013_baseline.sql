-- Baseline: the schema as migrations 0001 to 0013 left it, their statements in their order
-- without the function definitions (the current ones are in sql/functions/, one file each).
-- A new database runs this file; a database those migrations built is recognised by the hashes
-- recorded for them, listed below, and is not migrated again.
-- replaces: 0001_core.sql 02be4cdc42de4da8ac2e24b49a4bfeed5c4efbda5e726b0f3a90149bad579a05
-- replaces: 0002_detection.sql 6059a8ff3873ceed3496dad5732e291c0d77676d4cca08eeb24077a042d0af5d
-- replaces: 0003_web_requests.sql bc7389ece33e7b480d8f86573a7a9021575c5e29c2be061f3814ec75d403267e
-- replaces: 0004_file_checkpoints.sql 37aaf84395773a606264a043cf142400df2b0cc4933f3bde452dd4c241928b93
-- replaces: 0005_lz4_raw.sql 951ae6b7219d943a2b3bb50ccfacf7d8f9ac3ad605ba6d95fc5a7ded7e2af54f
-- replaces: 0006_incremental_detection.sql b1bacb3c1ac70140f26a2c85b1fb6ba395ca044c6b65c4ccda392fafe9ada210
-- replaces: 0007_responder_tools.sql 7884a69c6a91a2da7030e3175f40ac4815872cafcbe6fdc323538dae63c6e2b5
-- replaces: 0008_chains.sql ffd9fac647852d18c8b27f47109b6e737e3d0ddd9cd1caa423707b8b8a337963
-- replaces: 0009_coverage.sql 3ee33a02321800c6003318c582be59c25f09c79739c018e817d132ed6e3e58f0
-- replaces: 0010_servers_and_shared_mailboxes.sql 848c06a4cfbf92de0001c09a405e538ac5b4b731b426d1a4e649ebe5f86fbbee
-- replaces: 0011_network_owners.sql 7b674834f310921941f178a2c69155f662c4b7dccb510bc248331ac5c64c8d14
-- replaces: 0012_incremental_judging.sql 41f2c18aabf026e12e9144c2215b384677bcb4bbe710a95aff4925b6048b1e31
-- replaces: 0013_single_pass_sessions.sql 7e49e7f5f585d77eeaa0155c9dcee08e8b0180f38c2f06ae7403ec3712ae42a5

-- ----------------------------------------
-- From 0001_core.sql
-- Core tables: normalized events and quarantine.
-- Every table holding tenant data has the tenant as the first column of its keys, so the schema can be
-- distributed by tenant (Citus) without a redesign.

create table mailhound.events (
    tenant text not null,
    record_id uuid not null,
    occurred_at timestamptz not null,
    record_type integer,
    workload text,
    operation text not null,
    result_status text,
    actor text,
    actor_kind text not null check (actor_kind in ('user', 'admin', 'delegate', 'app', 'system')),
    user_type smallint,
    logon_type smallint,
    mailbox_owner text,
    mailbox_guid text,
    client_ip inet,
    client_info text,
    app_id text,
    client_app_id text,
    source_session_id text,
    access_type text,
    items integer not null default 0,
    bytes bigint not null default 0,
    folders text[] not null default '{}',
    is_throttled boolean,
    external_access boolean,
    object_id text,
    parameters jsonb,
    source_file text not null,
    source_line bigint not null,
    source_offset bigint not null,
    raw text not null,
    -- Records of one group that are close in time form a session (see mailhound.rebuild_sessions).
    session_group text generated always as (
        coalesce(lower(actor), '') || '|' || case
            when source_session_id is not null then 'sid|' || source_session_id
            else 'net|' || coalesce(host(client_ip), '') || '|'
                || coalesce(nullif(client_app_id, ''), nullif(app_id, ''), client_info, '')
        end
    ) stored,
    primary key (tenant, record_id)
);

create index events_session_group on mailhound.events (tenant, session_group, occurred_at);
create index events_actor_time on mailhound.events (tenant, lower(actor), occurred_at);

comment on table mailhound.events is
    'Normalized audit records, one row per source record Id (UAL Id), deduplicated across files and formats.';
comment on column mailhound.events.tenant is 'Tenant: the record''s OrganizationId, or the configured name for on-premises sources.';
comment on column mailhound.events.record_id is 'Unique record id: the UAL Id GUID.';
comment on column mailhound.events.occurred_at is 'When it happened (UTC; UAL CreationTime carries no zone and is UTC).';
comment on column mailhound.events.record_type is 'UAL RecordType number (50 MailItemsAccessed, 1 ExchangeAdmin, 18 S&C cmdlet, 24 Discovery).';
comment on column mailhound.events.workload is 'UAL Workload: Exchange, SecurityComplianceCenter, AzureActiveDirectory.';
comment on column mailhound.events.operation is 'Operation or cmdlet name, e.g. MailItemsAccessed, New-MailboxExportRequest.';
comment on column mailhound.events.result_status is 'ResultStatus as the source wrote it (Succeeded, True, Success, Failed...).';
comment on column mailhound.events.actor is 'Who acted: UAL UserId (UPN, NT AUTHORITY\SYSTEM, ServicePrincipal_...).';
comment on column mailhound.events.actor_kind is 'user, admin (admin logon or admin user type), delegate, app (app-only or service principal) or system.';
comment on column mailhound.events.user_type is 'UAL UserType (0 regular, 2 admin, 4 system, 5 application, 6 service principal).';
comment on column mailhound.events.logon_type is 'Mailbox LogonType (0 owner, 1 admin, 2 delegated, 3 transport, 4 system service, 6 delegated admin).';
comment on column mailhound.events.mailbox_owner is 'Mailbox touched (MailboxOwnerUPN), or the Mailbox/Identity parameter of an admin cmdlet.';
comment on column mailhound.events.mailbox_guid is 'Exchange MailboxGuid of the mailbox touched.';
comment on column mailhound.events.client_ip is 'Client address (ClientIP or ClientIPAddress) without port or brackets.';
comment on column mailhound.events.client_info is 'ClientInfoString: protocol and client, e.g. Client=MSExchangeRPC.';
comment on column mailhound.events.app_id is 'AppId: the app or service that executed the request.';
comment on column mailhound.events.client_app_id is 'ClientAppId: the original OAuth client, for apps calling through Graph or EWS.';
comment on column mailhound.events.source_session_id is 'The record''s own SessionId (Entra token session), when present.';
comment on column mailhound.events.access_type is 'MailItemsAccessed MailAccessType: Bind (items opened) or Sync (whole folder downloaded).';
comment on column mailhound.events.items is 'Items accessed: OperationCount or the items listed (0 for Sync, which lists none).';
comment on column mailhound.events.bytes is 'Sum of SizeInBytes of the items listed, in bytes.';
comment on column mailhound.events.folders is 'Folder paths the record names, e.g. {\Inbox,\Sent Items}.';
comment on column mailhound.events.is_throttled is 'IsThrottled: true when the mailbox hit the MailItemsAccessed throttle (real volume is higher).';
comment on column mailhound.events.external_access is 'ExternalAccess: actor from outside the organization (or Microsoft staff for admin records).';
comment on column mailhound.events.object_id is 'ObjectId: the object acted on (admin records).';
comment on column mailhound.events.parameters is 'Cmdlet parameters as [{"Name":...,"Value":...}]; a single-string Parameters has an empty Name.';
comment on column mailhound.events.source_file is 'File the record was read from (- for standard input).';
comment on column mailhound.events.source_line is 'Line in that file where the record starts (1-based).';
comment on column mailhound.events.source_offset is 'Byte offset in that file (decompressed for .gz) where the record starts.';
comment on column mailhound.events.raw is 'The record as read (JSON), kept as evidence.';
comment on column mailhound.events.session_group is 'Grouping key for sessions: actor plus SessionId, or actor plus client address and app.';

create table mailhound.quarantine (
    tenant text not null,
    source_file text not null,
    source_offset bigint not null,
    raw_md5 text generated always as (md5(raw)) stored,
    source_line bigint not null,
    reason text not null,
    raw text not null,
    quarantined_at timestamptz not null default now(),
    primary key (tenant, source_file, source_offset, raw_md5)
);

comment on table mailhound.quarantine is 'Records that could not be loaded, with where they were and why; never silently dropped.';
comment on column mailhound.quarantine.tenant is 'Tenant configured for the ingest run (the record itself could not be read).';
comment on column mailhound.quarantine.source_file is 'File the record was read from.';
comment on column mailhound.quarantine.source_offset is 'Byte offset of the record in the file.';
comment on column mailhound.quarantine.raw_md5 is 'md5 of raw, so a rerun does not store the same bad record twice.';
comment on column mailhound.quarantine.source_line is 'Line where the record starts (1-based).';
comment on column mailhound.quarantine.reason is 'Why it was refused, e.g. missing field "Id".';
comment on column mailhound.quarantine.raw is 'The record text as read.';
comment on column mailhound.quarantine.quarantined_at is 'When mailhound quarantined it (wall clock).';

-- ----------------------------------------
-- From 0002_detection.sql
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

-- ----------------------------------------
-- From 0003_web_requests.sql
-- Requests from the Exchange front end's web logs (HttpProxy, IIS W3C), each with the intrusion
-- indicators it matches, so SQL can correlate them with mailbox sessions by client address and time.

create table mailhound.web_requests (
    tenant text not null,
    request_key uuid not null,
    occurred_at timestamptz not null,
    log_kind text not null check (log_kind in ('httpproxy', 'iis')),
    server text,
    protocol text,
    method text,
    url_stem text,
    url_query text,
    http_status integer,
    authenticated_user text,
    client_ip inet,
    user_agent text,
    anchor_mailbox text,
    routing_hint text,
    backend_cookie text,
    request_bytes bigint,
    response_bytes bigint,
    indicators text[] not null default '{}',
    source_file text not null,
    source_line bigint not null,
    source_offset bigint not null,
    raw text not null,
    primary key (tenant, request_key)
);

create index web_requests_address_time on mailhound.web_requests (tenant, client_ip, occurred_at);
create index web_requests_flagged on mailhound.web_requests (tenant, occurred_at) where indicators <> '{}';

comment on table mailhound.web_requests is
    'Requests from Exchange HttpProxy and IIS W3C logs, one row per request, with the ProxyLogon-era indicators each matches.';
comment on column mailhound.web_requests.tenant is 'Tenant: the name configured for the on-premises organization (ingest --tenant).';
comment on column mailhound.web_requests.request_key is 'Natural key: HttpProxy RequestId plus server; for IIS a hash of server, line and its repeat count within the second.';
comment on column mailhound.web_requests.occurred_at is 'When the request was logged (UTC).';
comment on column mailhound.web_requests.log_kind is 'httpproxy or iis.';
comment on column mailhound.web_requests.server is 'Front-end server: HttpProxy ServerHostName, IIS s-computername or s-ip.';
comment on column mailhound.web_requests.protocol is 'HttpProxy protocol folder (Owa, Ecp, Ews, Autodiscover, Mapi...); null for IIS.';
comment on column mailhound.web_requests.method is 'HTTP method.';
comment on column mailhound.web_requests.url_stem is 'Path requested, e.g. /ecp/y.js or /aspnet_client/system_web/x.aspx.';
comment on column mailhound.web_requests.url_query is 'Query string as logged.';
comment on column mailhound.web_requests.http_status is 'HTTP status returned by the front end (241 marks a ProxyLogon session step).';
comment on column mailhound.web_requests.authenticated_user is 'AuthenticatedUser or cs-username; null when empty or -, as in the SSRF pattern.';
comment on column mailhound.web_requests.client_ip is 'Client address as the front end saw it.';
comment on column mailhound.web_requests.user_agent is 'User agent, with IIS''s + turned back into spaces.';
comment on column mailhound.web_requests.anchor_mailbox is 'HttpProxy AnchorMailbox; ServerInfo~host/path is the CVE-2021-26855 form.';
comment on column mailhound.web_requests.routing_hint is 'HttpProxy RoutingHint, e.g. X-BEResource-Cookie.';
comment on column mailhound.web_requests.backend_cookie is 'HttpProxy BackEndCookie; Server~host/path~version is the broadened CVE-2021-26855 form.';
comment on column mailhound.web_requests.request_bytes is 'Request size in bytes, when logged.';
comment on column mailhound.web_requests.response_bytes is 'Response size in bytes, when logged (bulk EWS/MAPI downloads are large).';
comment on column mailhound.web_requests.indicators is 'Indicators matched: ssrf-anchor, static-post, oab-vdir-write, web-shell, pst-download, campaign-user-agent.';
comment on column mailhound.web_requests.source_file is 'Log file the request was read from.';
comment on column mailhound.web_requests.source_line is 'Line in that file (1-based).';
comment on column mailhound.web_requests.source_offset is 'Byte offset of the line in that file.';
comment on column mailhound.web_requests.raw is 'The log line as read, kept as evidence.';

-- ----------------------------------------
-- From 0004_file_checkpoints.sql
-- Per-file checkpoints replace the list of files loaded whole: a file that grew is read on from
-- where the last committed batch ended, and a file whose loaded part changed is noticed.

-- Per installation, not per tenant: one file may hold many tenants (a reference table when distributed).
create table mailhound.file_checkpoints (
    path text primary key,
    format text not null,
    loaded_bytes bigint not null,
    next_line bigint not null,
    columns text[],
    head_sha256 text not null,
    tail_sha256 text not null,
    file_size bigint not null,
    modified_at timestamptz not null,
    records bigint not null,
    complete boolean not null,
    resumable boolean not null,
    updated_at timestamptz not null default now()
);

comment on table mailhound.file_checkpoints is
    'How far each input file is loaded; written in the same transaction as the batch it follows, so a crash never loses or doubles a record.';
comment on column mailhound.file_checkpoints.path is 'Path as given to mailhound ingest or found under a watched folder.';
comment on column mailhound.file_checkpoints.format is 'Format read: ual-jsonl, ual-json, purview-csv, mailbox-audit-csv, admin-audit-csv, httpproxy, iis.';
comment on column mailhound.file_checkpoints.loaded_bytes is 'Bytes of the file whose records are committed; reading resumes here.';
comment on column mailhound.file_checkpoints.next_line is 'Line number at loaded_bytes (1-based).';
comment on column mailhound.file_checkpoints.columns is 'Header columns in force at loaded_bytes (CSV header or #Fields), for resuming.';
comment on column mailhound.file_checkpoints.head_sha256 is 'SHA-256 of the first 64 KiB of the loaded part: a replaced file is noticed.';
comment on column mailhound.file_checkpoints.tail_sha256 is 'SHA-256 of the 64 KiB ending at loaded_bytes.';
comment on column mailhound.file_checkpoints.file_size is 'File size when the checkpoint was written.';
comment on column mailhound.file_checkpoints.modified_at is 'File modification time when the checkpoint was written.';
comment on column mailhound.file_checkpoints.records is 'Records read from the file in total (loaded, duplicate, skipped or quarantined).';
comment on column mailhound.file_checkpoints.complete is 'The file was read to its end.';
comment on column mailhound.file_checkpoints.resumable is 'Whether reading can resume at loaded_bytes (not for gzip, JSON arrays or standard input).';
comment on column mailhound.file_checkpoints.updated_at is 'When the checkpoint was written (wall clock).';

-- ----------------------------------------
-- From 0005_lz4_raw.sql
-- Raw records are the bulk of every row and get compressed on the way in. lz4 compresses several
-- times faster than the default pglz at a similar ratio, so bulk loads spend less server time per
-- row. Servers built without lz4 keep pglz: the statement is only run where lz4 exists.

do $$
begin
    if exists (
        select from pg_settings where name = 'default_toast_compression' and 'lz4' = any(enumvals)
    ) then
        alter table mailhound.events alter column raw set compression lz4,
            alter column parameters set compression lz4;
        alter table mailhound.web_requests alter column raw set compression lz4;
        alter table mailhound.quarantine alter column raw set compression lz4;
    end if;
end
$$;

-- ----------------------------------------
-- From 0006_incremental_detection.sql
-- Incremental detection: every event remembers the transaction that stored it, and every detection
-- run remembers which transactions it could see, so the next run rebuilds only the sessions that
-- new events can change.

-- Rows stored before this migration keep null: the first run after it is a full one anyway.
alter table mailhound.events add column loaded_txid bigint;
alter table mailhound.events alter column loaded_txid set default (pg_current_xact_id()::text::bigint);
-- Transaction ids grow with time and rows are appended: a block range index costs almost nothing
-- to maintain and finds the newest rows without reading the others.
create index events_loaded_txid on mailhound.events using brin (loaded_txid);

comment on column mailhound.events.loaded_txid is
    'Transaction that stored the row (pg_current_xact_id): detect rebuilds only what newer rows change.';

alter table mailhound.detection_runs
    add column mode text not null default 'full' check (mode in ('full', 'incremental')),
    add column snapshot pg_snapshot,
    add column sessions_rebuilt bigint;

comment on column mailhound.detection_runs.mode is
    'full: every session rebuilt; incremental: only sessions with events stored since the previous run.';
comment on column mailhound.detection_runs.snapshot is
    'Transactions visible when the run started: rows stored by any other transaction are new to the next run.';
comment on column mailhound.detection_runs.sessions_rebuilt is 'Sessions this run rebuilt (all of them in a full run).';

-- Detectors compare a session with the same actor's earlier ones.
create index sessions_actor_time on mailhound.sessions (tenant, lower(actor), first_seen);

-- Detectors that look for rare kinds of events find them without reading every mail read.
create index events_not_mail_reads on mailhound.events (tenant, operation, occurred_at)
    where operation <> 'MailItemsAccessed';
create index events_syncs on mailhound.events (tenant, session_group, occurred_at)
    where access_type = 'Sync';
create index events_machine_identities on mailhound.events (tenant, session_group, occurred_at)
    where actor_kind in ('system', 'app');

-- ----------------------------------------
-- From 0007_responder_tools.sql
-- What responders and schedulers need around a detection run: a window the run reports on, and
-- an allow-list that takes effect as soon as it changes, not only at the next run.

alter table mailhound.detection_runs
    add column window_from timestamptz,
    add column window_until timestamptz,
    add column baseline_days integer;

comment on column mailhound.detection_runs.window_from is
    'detect --since: only sessions still active at or after this time got findings (null: no lower bound).';
comment on column mailhound.detection_runs.baseline_days is
    'Days of history before each session or day that baselines read (detect --baseline-days; detectors read it as mailhound.baseline_days).';
comment on column mailhound.detection_runs.window_until is
    'detect --until: only sessions that began before this time got findings (null: no upper bound).';

-- ----------------------------------------
-- From 0008_chains.sql
-- Chains: intrusions are sequences (SSRF then impersonated reads, grant then read then revoke,
-- export then fetch). A chain links the findings and sessions that form it, and gives each member
-- session a finding of its own, so a sequence outranks any of its single events.

create table mailhound.chains (
    tenant text not null,
    chain_id text not null,
    run_id bigint not null references mailhound.detection_runs (run_id),
    kind text not null,
    points integer not null check (points between 0 and 100),
    reason text not null,
    evidence jsonb not null,
    sessions text[] not null,
    detectors text[] not null,
    first_seen timestamptz,
    last_seen timestamptz,
    primary key (tenant, chain_id)
);

comment on table mailhound.chains is
    'Sequences of findings that form one intrusion, from the latest detection run: one row per chain, linking its sessions and detectors.';
comment on column mailhound.chains.tenant is 'Tenant of the sessions.';
comment on column mailhound.chains.chain_id is 'Chain id: 16 hex digits of its kind and sessions, stable across reruns.';
comment on column mailhound.chains.run_id is 'The detection run that found it.';
comment on column mailhound.chains.kind is 'Which chain (a file under sql/chains), e.g. grant-read-revoke.';
comment on column mailhound.chains.points is 'Points each member session gets as a finding of this kind.';
comment on column mailhound.chains.reason is 'One sentence telling the sequence.';
comment on column mailhound.chains.evidence is 'The member findings'' evidence and times.';
comment on column mailhound.chains.sessions is 'Member sessions (mailhound.sessions), in time order.';
comment on column mailhound.chains.detectors is 'Detectors whose findings form the chain.';
comment on column mailhound.chains.first_seen is 'Start of the first member session.';
comment on column mailhound.chains.last_seen is 'End of the last member session.';

-- ----------------------------------------
-- From 0009_coverage.sql
-- Coverage: what mailhound could not see. "Nothing found" only means something where the logs
-- were complete, so every detection run records the blind windows of the data: throttled
-- mailboxes, exports cut at a search cap, days a source is missing, mailboxes that never log
-- MailItemsAccessed, and auditing switched off.

create table mailhound.blind_windows (
    window_id bigint generated always as identity primary key,
    tenant text not null,
    kind text not null check (kind in ('throttled', 'search-cap', 'source-gap', 'no-mail-access-audit', 'audit-tampering')),
    subject text not null,
    starts_at timestamptz,
    ends_at timestamptz,
    detail text not null
);

create index blind_windows_tenant_kind on mailhound.blind_windows (tenant, kind, subject);

comment on table mailhound.blind_windows is
    'Blind spots of the loaded data, rebuilt by every detection run and by mailhound coverage: where and when activity could have happened without a record.';
comment on column mailhound.blind_windows.window_id is 'Row number of this refresh.';
comment on column mailhound.blind_windows.tenant is 'Tenant the blind spot belongs to.';
comment on column mailhound.blind_windows.kind is
    'throttled (a mailbox hit the MailItemsAccessed throttle: the 24 h after log less than happened), search-cap (a file holds exactly 5,000 or 50,000 records: the export was cut), source-gap (four or more days a source is missing within the data''s span: unified-audit-log, mailbox-audit-csv, admin-audit-csv, httpproxy or iis), no-mail-access-audit (a mailbox with no MailItemsAccessed record at all), audit-tampering (auditing switched off or bypassed).';
comment on column mailhound.blind_windows.subject is 'What is blind: a mailbox, a file, a log format or an identity.';
comment on column mailhound.blind_windows.starts_at is 'Start of the blind window; null for the whole data.';
comment on column mailhound.blind_windows.ends_at is 'End of the blind window; null when open-ended or for the whole data.';
comment on column mailhound.blind_windows.detail is 'One sentence: what is missing and why it matters.';

-- ----------------------------------------
-- From 0010_servers_and_shared_mailboxes.sql
-- Which on-premises server wrote each record, so coverage can tell a server whose logs were not
-- collected; and shared mailboxes, tagged from the data so that breadth detectors do not count a
-- team's shared inbox as a victim.

alter table mailhound.events add column origin_server text;

comment on column mailhound.events.origin_server is
    'On-premises server that wrote the record (OriginatingServer without its build, lower-case host name); null for cloud records.';

-- Only on-premises records carry a server: the coverage check reads them without scanning the rest.
create index events_origin_server on mailhound.events (tenant, origin_server, source_file) where origin_server is not null;

alter table mailhound.blind_windows drop constraint blind_windows_kind_check;
alter table mailhound.blind_windows add constraint blind_windows_kind_check
    check (kind in ('throttled', 'search-cap', 'source-gap', 'server-gap', 'no-mail-access-audit', 'audit-tampering'));

comment on column mailhound.blind_windows.kind is
    'throttled (a mailbox hit the MailItemsAccessed throttle: the 24 h after log less than happened), search-cap (a file holds exactly 5,000 or 50,000 records: the export was cut), source-gap (four or more days a source is missing within the data''s span: unified-audit-log, mailbox-audit-csv, admin-audit-csv, httpproxy or iis), server-gap (an on-premises server has no records of a format that other servers have), no-mail-access-audit (a mailbox with no MailItemsAccessed record at all), audit-tampering (auditing switched off or bypassed).';

create table mailhound.shared_mailboxes (
    tenant text not null,
    mailbox text not null,
    readers text[] not null,
    first_seen timestamptz not null,
    last_seen timestamptz not null,
    primary key (tenant, mailbox)
);

comment on table mailhound.shared_mailboxes is
    'Mailboxes that behave as shared: their owner never acts in the data and two or more people read them, each on two or more days. Rebuilt by every detection run; breadth detectors list them apart instead of counting them as victims.';
comment on column mailhound.shared_mailboxes.tenant is 'Tenant of the mailbox.';
comment on column mailhound.shared_mailboxes.mailbox is 'The mailbox (lower-case owner UPN, as in sessions.mailbox_owners).';
comment on column mailhound.shared_mailboxes.readers is 'People who read it on two or more days (lower-case).';
comment on column mailhound.shared_mailboxes.first_seen is 'First session of those readers touching it (UTC).';
comment on column mailhound.shared_mailboxes.last_seen is 'Last session of those readers touching it (UTC).';

-- ----------------------------------------
-- From 0011_network_owners.sql
-- Who routes each address range (an IP-to-ASN table loaded with mailhound networks load), so
-- novelty can be judged by network owner: a phone hopping between its carrier's /24s stays in one
-- AS, an intruder's VPS does not. Reference data for the whole installation, not per tenant.

create table mailhound.network_owners (
    range_start inet primary key,
    range_end inet not null,
    asn integer not null check (asn > 0),
    country text,
    name text,
    source_file text not null,
    loaded_at timestamptz not null default now(),
    check (family(range_start) = family(range_end) and range_start <= range_end)
);

comment on table mailhound.network_owners is
    'Address ranges and the autonomous system that routes them, from an IP-to-ASN table (iptoasn.com ip2asn TSV); replaced whole by each mailhound networks load. Empty until loaded: detectors then judge networks by /24 and /64.';
comment on column mailhound.network_owners.range_start is 'First address of the range.';
comment on column mailhound.network_owners.range_end is 'Last address of the range.';
comment on column mailhound.network_owners.asn is 'Autonomous system number routing the range.';
comment on column mailhound.network_owners.country is 'ISO 3166 alpha-2 country of the AS registration, when the table names one.';
comment on column mailhound.network_owners.name is 'AS description, e.g. the provider''s name.';
comment on column mailhound.network_owners.source_file is 'The table file the range was loaded from.';
comment on column mailhound.network_owners.loaded_at is 'When the table was loaded (wall clock).';

-- ----------------------------------------
-- From 0012_incremental_judging.sql
-- Incremental judging: an incremental detect re-judges only the sessions that new records can
-- change and keeps the findings of the others, and coverage adds up what new records bring
-- instead of counting every record again. Both make a run after one more day of logs cost about
-- that day, not the whole history.

alter table mailhound.detection_runs add column judged_from timestamptz;

comment on column mailhound.detection_runs.judged_from is
    'Sessions beginning at or after this time were judged by this run; earlier sessions kept the findings of earlier runs. -infinity: every session was judged; infinity: no session was new.';
comment on column mailhound.detection_runs.findings is 'Findings standing after the run (suppressed ones and those kept from earlier runs included).';

create index sessions_first_seen on mailhound.sessions (first_seen);

-- Web requests remember the transaction that stored them too, so new web logs from days already
-- judged send those days back to the detectors.
alter table mailhound.web_requests add column loaded_txid bigint;
alter table mailhound.web_requests alter column loaded_txid set default (pg_current_xact_id()::text::bigint);
create index web_requests_loaded_txid on mailhound.web_requests using brin (loaded_txid);

comment on column mailhound.web_requests.loaded_txid is
    'Transaction that stored the row (pg_current_xact_id): detect re-judges the days newer rows fall on.';

-- The throttle detector and the coverage refresh find throttled records without reading the rest.
create index events_throttled on mailhound.events (tenant, occurred_at) where is_throttled;

create table mailhound.file_days (
    tenant text not null,
    source_file text not null,
    day date not null,
    records bigint not null,
    primary key (tenant, source_file, day)
);

comment on table mailhound.file_days is
    'Records stored from each input file on each UTC day (events and web requests), kept up to date by mailhound.count_coverage(): coverage reads these counts instead of the records.';
comment on column mailhound.file_days.tenant is 'Tenant of the records.';
comment on column mailhound.file_days.source_file is 'Input file that stored them (mailhound.file_checkpoints.path).';
comment on column mailhound.file_days.day is 'UTC day the records happened on.';
comment on column mailhound.file_days.records is 'Records stored.';

create table mailhound.mailbox_read_logging (
    tenant text not null,
    mailbox text not null,
    logs_reads boolean not null,
    primary key (tenant, mailbox)
);

comment on table mailhound.mailbox_read_logging is
    'Every mailbox named by a record, and whether any record of it is a MailItemsAccessed read; kept up to date by mailhound.count_coverage().';
comment on column mailhound.mailbox_read_logging.tenant is 'Tenant of the mailbox.';
comment on column mailhound.mailbox_read_logging.mailbox is 'Mailbox owner, lower-case; empty for records that name none.';
comment on column mailhound.mailbox_read_logging.logs_reads is 'True when the data holds a MailItemsAccessed record for it.';

create table mailhound.coverage_counts (
    singleton boolean primary key default true check (singleton),
    counted pg_snapshot not null
);

comment on table mailhound.coverage_counts is
    'Which transactions'' records mailhound.file_days and mailhound.mailbox_read_logging hold: one row; none means count every record again (after a prune).';
comment on column mailhound.coverage_counts.singleton is 'Always true: the table holds one row.';
comment on column mailhound.coverage_counts.counted is 'Snapshot of the last count: records of transactions it could not see are counted next time.';

-- ----------------------------------------
-- From 0013_single_pass_sessions.sql
-- Sessions in one sorted pass. 0006 numbered the sessions with a running count and then grouped
-- by that number, which PostgreSQL cannot know follows the sort it already made: at 10M events it
-- sorted every row a second time, on disk. Here a session is keyed by its group and its start,
-- so the grouping needs only an incremental sort of each group's rows, and every value set is
-- gathered in the same pass; only the sessions where a column varies sort their few values.
-- A full rebuild can also be cut in parts by group, built side by side on several connections.
-- Findings now belong to their session: a rebuild that drops a session drops its findings.

alter table mailhound.findings add constraint findings_session_fkey
    foreign key (tenant, session_id) references mailhound.sessions (tenant, session_id) on delete cascade not valid;

-- Parts of a full rebuild, built on their own connections and committed there, then moved into
-- mailhound.sessions by the detection run's transaction. Unlogged: a crash loses only a rebuild.
create unlogged table mailhound.session_parts (like mailhound.sessions);

comment on table mailhound.session_parts is
    'Scratch space of a full detect: sessions built side by side on several connections, moved into mailhound.sessions in the run''s transaction. Empty between runs.';

-- The sessions that reach a mailbox other than the actor's own: a few in a hundred. The view
-- analyst.other_mailbox_touches repeats the predicate so that breadth detectors and shared-mailbox
-- tagging read only these.
create index sessions_touching_others on mailhound.sessions (tenant, first_seen)
    where actor is not null and not (mailbox_owners <@ array[lower(actor)]);
