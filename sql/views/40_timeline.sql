-- Everything a responder reads to judge one session, in time order: the session's own records,
-- admin operations by its actor or naming its actor in the day around it (the grant before the
-- read, the revoke after), and flagged web requests from its addresses.
-- Query it for one session: select * from analyst.session_timeline where session_id = '...' order by occurred_at;
create or replace view analyst.session_timeline as
select
    s.tenant,
    s.session_id,
    e.occurred_at,
    case when e.operation = 'MailItemsAccessed' then 'mailbox' else 'operation' end as kind,
    true as in_session,
    e.operation,
    e.actor,
    e.mailbox_owner as mailbox,
    concat_ws(' ',
        e.access_type,
        case when e.folders <> '{}' then array_to_string(e.folders, ', ') end,
        case when e.is_throttled then '(throttled: more was read than logged)' end,
        mailhound.parameter_text(e.parameters)
    ) as detail,
    e.client_ip,
    e.items,
    e.bytes,
    e.source_file,
    e.source_line,
    e.app_id,
    e.client_app_id
from mailhound.sessions as s
join mailhound.events as e
    on e.tenant = s.tenant and e.session_key = s.session_key
    and e.occurred_at between s.first_seen and s.last_seen
    and lower(e.actor) is not distinct from lower(s.actor)
    and e.source_session_id is not distinct from s.source_session_id
    and (s.source_session_id is not null
        or s.session_group = mailhound.session_group(
            e.actor, null, e.client_ip, mailhound.record_app(e.client_app_id, e.app_id, e.client_info)))
where ((select mailhound.visible_tenants()) is null or s.tenant = any ((select mailhound.visible_tenants())::text[]))

union all

select
    s.tenant,
    s.session_id,
    e.occurred_at,
    'related operation',
    false,
    e.operation,
    e.actor,
    e.mailbox_owner,
    mailhound.parameter_text(e.parameters),
    e.client_ip,
    e.items,
    e.bytes,
    e.source_file,
    e.source_line,
    e.app_id,
    e.client_app_id
from mailhound.sessions as s
join mailhound.events as e
    on e.tenant = s.tenant
    and e.operation <> 'MailItemsAccessed'
    and e.occurred_at between s.first_seen - interval '24 hours' and s.last_seen + interval '24 hours'
    and (e.session_key <> s.session_key or lower(e.actor) is distinct from lower(s.actor)
        or e.source_session_id is distinct from s.source_session_id)
where ((select mailhound.visible_tenants()) is null or s.tenant = any ((select mailhound.visible_tenants())::text[]))
    and (lower(e.actor) = lower(s.actor)
    or exists (
        select 1
        from mailhound.parameter_list(e.parameters) as p
        where lower(p ->> 'Value') = lower(s.actor)
    ))

union all

select
    w.tenant,
    w.session_id,
    w.occurred_at,
    'web request',
    false,
    concat_ws(' ', w.method, w.url_stem),
    w.authenticated_user,
    w.anchor_mailbox,
    concat_ws(' ', 'HTTP ' || w.http_status, '[' || array_to_string(w.indicators, ', ') || ']', w.user_agent),
    w.client_ip,
    0,
    0,
    w.source_file,
    w.source_line,
    null,
    null
from analyst.session_web_evidence as w;

comment on view analyst.session_timeline is
    'One session''s story in time order: its records, admin operations by or naming its actor within 24 h, and flagged web requests from its addresses.';
comment on column analyst.session_timeline.tenant is 'Tenant of the session.';
comment on column analyst.session_timeline.session_id is 'The session (analyst.sessions).';
comment on column analyst.session_timeline.occurred_at is 'When it happened (UTC).';
comment on column analyst.session_timeline.kind is
    'mailbox (a MailItemsAccessed record of the session), operation (another record of the session), related operation (outside the session, by or naming its actor) or web request.';
comment on column analyst.session_timeline.in_session is 'True for the session''s own records.';
comment on column analyst.session_timeline.operation is 'Operation, cmdlet, or HTTP method and path.';
comment on column analyst.session_timeline.actor is 'Who acted (for web requests: the authenticated user, often empty in SSRF).';
comment on column analyst.session_timeline.mailbox is 'Mailbox touched (for web requests: the AnchorMailbox).';
comment on column analyst.session_timeline.detail is 'Access type and folders, cmdlet parameters, or HTTP status, indicators and agent.';
comment on column analyst.session_timeline.client_ip is 'Client address.';
comment on column analyst.session_timeline.items is 'Items accessed.';
comment on column analyst.session_timeline.bytes is 'Bytes of the items listed.';
comment on column analyst.session_timeline.source_file is 'File the record was read from.';
comment on column analyst.session_timeline.source_line is 'Line in that file.';
comment on column analyst.session_timeline.app_id is 'AppId of the record: the app or service that executed the request (null for web requests).';
comment on column analyst.session_timeline.client_app_id is
    'ClientAppId of the record: the original OAuth client behind a Graph or EWS call, such as an app a user consented to (null for web requests).';

-- The sessions whose records name an app their actor (or, for all users, an admin) let read their
-- mail in the 7 days before: the app's own reads, whose network and client the consent explains.
-- Each consent's text is read once: the lateral "parsed" holds its app ids and reach (without it,
-- each record probed below decompressed the consent's raw chunk again: 119 s for one consent for
-- all users at 10M events), and a filter on consented_at still reaches analyst.mail_app_consents.
-- The records are looked up by the session's group key and span rather than through
-- analyst.session_timeline: after a consent for all users every session of the week is probed
-- (10M events, 64k sessions: 1.5 s, against 109 s through the timeline). The sessions come from
-- two branches rather than one "for_all_users or same actor" test, so that a user's consent reads
-- the actor's index and a consent for all users the week's range.
create or replace view analyst.consented_app_sessions as
select c.tenant, s.session_id, c.record_id as consent_record_id, c.occurred_at as consented_at, c.service_principal
from analyst.mail_app_consents as c
cross join lateral (select c.app_ids, c.for_all_users offset 0) as parsed
cross join lateral (
    select o.session_id, o.session_key, o.actor, o.first_seen, o.last_seen
    from mailhound.sessions as o
    where o.tenant = c.tenant and lower(o.actor) = lower(c.actor) and not parsed.for_all_users
        and o.first_seen > c.occurred_at and o.first_seen <= c.occurred_at + interval '7 days'
    union all
    select o.session_id, o.session_key, o.actor, o.first_seen, o.last_seen
    from mailhound.sessions as o
    where o.tenant = c.tenant and parsed.for_all_users
        and o.first_seen > c.occurred_at and o.first_seen <= c.occurred_at + interval '7 days'
) as s
where exists (
    select 1
    from mailhound.events as e
    where e.tenant = c.tenant and e.session_key = s.session_key
        and e.occurred_at between s.first_seen and s.last_seen
        and lower(e.actor) is not distinct from lower(s.actor)
        and (lower(e.client_app_id) = any (parsed.app_ids) or lower(e.app_id) = any (parsed.app_ids))
);

comment on view analyst.consented_app_sessions is
    'Sessions whose records name (as ClientAppId or AppId) an app their actor, or an admin on behalf of all users, let read their mail in the 7 days before (analyst.mail_app_consents): the app''s own reads.';
comment on column analyst.consented_app_sessions.consent_record_id is 'The consent (analyst.mail_app_consents.record_id).';
comment on column analyst.consented_app_sessions.consented_at is 'When the consent was given (UTC).';
comment on column analyst.consented_app_sessions.service_principal is 'The app''s service principal.';
