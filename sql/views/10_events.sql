create or replace view analyst.mailbox_events as
select
    e.tenant,
    e.record_id,
    e.occurred_at,
    coalesce(s_day.session_id, s_long.session_id) as session_id,
    e.record_type,
    e.workload,
    e.operation,
    e.result_status,
    e.actor,
    e.actor_kind,
    e.user_type,
    e.logon_type,
    e.mailbox_owner,
    e.mailbox_guid,
    e.client_ip,
    e.client_info,
    e.app_id,
    e.client_app_id,
    e.source_session_id,
    e.access_type,
    e.items,
    e.bytes,
    e.folders,
    e.is_throttled,
    e.external_access,
    e.object_id,
    e.parameters,
    e.origin_server,
    e.source_file,
    e.source_line,
    e.source_offset,
    -- The record's text, verbatim, from the chunk ingest packed it in.
    (select substr(c.body, e.raw_start, e.raw_length) from mailhound.raw_chunks as c
        where c.tenant = e.tenant and c.chunk_id = e.raw_chunk) as raw
from mailhound.events as e
-- An event's session is the one of its group whose span holds it: its key, actor (the case aside)
-- and SessionId, and without a SessionId its address and app (the session's group text), as the
-- cut tells groups apart where keys collide. Sessions of a day or less are looked up from the day
-- before the event only: an app reading every night has thousands of sessions in one group, and a
-- lookup bounded on one side only walks all of those before the event. The few longer sessions
-- have an index of their own (sessions_long_group_time).
left join mailhound.sessions as s_day
    on s_day.tenant = e.tenant
    and s_day.session_key = e.session_key
    and s_day.first_seen <= e.occurred_at
    and s_day.first_seen > e.occurred_at - interval '1 day'
    and s_day.last_seen >= e.occurred_at
    and s_day.last_seen - s_day.first_seen <= interval '1 day'
    and lower(s_day.actor) is not distinct from lower(e.actor)
    and s_day.source_session_id is not distinct from e.source_session_id
    and (s_day.source_session_id is not null
        or s_day.session_group = mailhound.session_group(
            e.actor, null, e.client_ip, mailhound.record_app(e.client_app_id, e.app_id, e.client_info)))
left join mailhound.sessions as s_long
    on s_long.tenant = e.tenant
    and s_long.session_key = e.session_key
    and e.occurred_at between s_long.first_seen and s_long.last_seen
    and s_long.last_seen - s_long.first_seen > interval '1 day'
    and lower(s_long.actor) is not distinct from lower(e.actor)
    and s_long.source_session_id is not distinct from e.source_session_id
    and (s_long.source_session_id is not null
        or s_long.session_group = mailhound.session_group(
            e.actor, null, e.client_ip, mailhound.record_app(e.client_app_id, e.app_id, e.client_info)))
where ((select mailhound.visible_tenants()) is null or e.tenant = any ((select mailhound.visible_tenants())::text[]));

comment on view analyst.mailbox_events is
    'Every normalized audit record with the session it belongs to (null until mailhound detect has run).';
comment on column analyst.mailbox_events.session_id is 'Session the record belongs to (analyst.sessions).';
comment on column analyst.mailbox_events.raw is 'The record as read (JSON), kept as evidence: verbatim, from the chunk ingest packed it in (mailhound.raw_chunks).';

-- Consents that let an app read a user's mail: what consented-app-reads follows, and what
-- new-client leaves to it.
create or replace view analyst.mail_app_consents as
select tenant, record_id, session_id, actor, occurred_at, operation, service_principal, app_ids, scopes, for_all_users
from (
    select
        e.tenant,
        e.record_id,
        e.session_id,
        e.actor,
        e.occurred_at,
        e.operation,
        e.object_id as service_principal,
        mailhound.consented_app_ids(e.raw, e.object_id) as app_ids,
        mailhound.consented_mail_scopes(e.raw) as scopes,
        -- Entra writes "ConsentType: AllPrincipals" in the consent's permissions and the grant's
        -- ConsentType property, and OnBehalfOfAll "True" in its context; the patterns need no
        -- quotes, as consented_app_ids'.
        e.raw ~* '(ConsentType|OnBehalfOfAll)\W{1,8}(?:(?:New)?Value\W{1,8})?(AllPrincipals|True)\M' as for_all_users
    from analyst.mailbox_events as e
    where e.operation ~* '^(Consent to application|Add delegated permission grant|Add OAuth2PermissionGrant)'
        -- Lets the planner read the partial indexes of the records other than mail reads.
        and e.operation <> 'MailItemsAccessed'
) as c
where scopes is not null;

comment on view analyst.mail_app_consents is
    'Consents (Consent to application., Add delegated permission grant., Add OAuth2PermissionGrant.) that gave an app a delegated mail-reading scope, with the ids the app''s own records name it by.';
comment on column analyst.mail_app_consents.session_id is 'Session the consent record belongs to (analyst.sessions).';
comment on column analyst.mail_app_consents.service_principal is 'The app''s service principal (the record''s ObjectId): what two consents to one app share.';
comment on column analyst.mail_app_consents.app_ids is
    'The ids, lower case, by which the app''s records name it as their ClientAppId or AppId (mailhound.consented_app_ids): the service principal''s and the application id.';
comment on column analyst.mail_app_consents.scopes is 'The mail scopes granted, space-separated (mailhound.consented_mail_scopes).';
comment on column analyst.mail_app_consents.for_all_users is
    'Whether an admin consented on behalf of every user of the tenant (ConsentType AllPrincipals): the app may then read any user''s mail, not only the consenting identity''s.';

create or replace view analyst.quarantine as
select tenant, source_file, source_line, source_offset, reason, raw, quarantined_at
from mailhound.quarantine
where ((select mailhound.visible_tenants()) is null or tenant = any ((select mailhound.visible_tenants())::text[]));

comment on view analyst.quarantine is 'Records that could not be loaded, with file, line and reason.';

create or replace view analyst.file_checkpoints as
select path, format, loaded_bytes, next_line, columns, head_sha256, tail_sha256, file_size, modified_at, records,
    complete, resumable, updated_at
from mailhound.file_checkpoints
-- Files are not one tenant's: a reader bound to tenants sees none.
where (select mailhound.visible_tenants()) is null;

comment on view analyst.file_checkpoints is 'How far each input file is loaded (files that grew are read on from here).';

create or replace view analyst.pull_checkpoints as
select c.tenant, c.content_type, c.listed_until, c.updated_at,
    (select count(*) from mailhound.pulled_content as p
        where p.tenant = c.tenant and p.content_type = c.content_type) as blobs_pulled
from mailhound.pull_checkpoints as c
where ((select mailhound.visible_tenants()) is null or c.tenant = any ((select mailhound.visible_tenants())::text[]));

comment on view analyst.pull_checkpoints is 'How far mailhound pull has read each tenant''s content types from Microsoft 365.';
comment on column analyst.pull_checkpoints.blobs_pulled is 'Content blobs of this type whose records are stored.';
