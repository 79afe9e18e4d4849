-- Core tables: normalized events, quarantine, loaded files.
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

-- Per installation, not per tenant: one file may hold many tenants (a reference table when distributed).
create table mailhound.loaded_files (
    path text not null,
    size bigint not null,
    modified_at timestamptz not null,
    fingerprint text not null,
    format text not null,
    records bigint not null,
    loaded_at timestamptz not null default now(),
    primary key (path, size, modified_at, fingerprint)
);

comment on table mailhound.loaded_files is 'Files loaded completely; a file with the same path, size, time and fingerprint is skipped.';
comment on column mailhound.loaded_files.path is 'Path as given to mailhound ingest.';
comment on column mailhound.loaded_files.size is 'File size in bytes.';
comment on column mailhound.loaded_files.modified_at is 'File modification time.';
comment on column mailhound.loaded_files.fingerprint is 'FNV-1a 64 hash of the first and last 64 KiB.';
comment on column mailhound.loaded_files.format is 'Format recognized: ual-jsonl, ual-json, purview-csv.';
comment on column mailhound.loaded_files.records is 'Records read from the file (loaded, duplicate, skipped or quarantined).';
comment on column mailhound.loaded_files.loaded_at is 'When loading finished (wall clock).';
