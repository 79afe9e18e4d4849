-- id:        export-request
-- title:     Mailbox export or eDiscovery export, worst when written to a web-served path
-- status:    stable
-- severity:  high     points: 50; 90 when the target path is web-served, an admin share or not a .pst
-- finds:     New-MailboxExportRequest, New-ComplianceSearchAction with -Export, and SearchExported.
-- why:       Exports take a whole mailbox at once. HAFNIUM and Dark Halo exported to admin shares
--            and web folders (aspnet_client, owa\auth) to fetch the PST over HTTP; ProxyShell wrote
--            .aspx web shells the same way.
-- reads:     analyst.mailbox_events(tenant, session_id, actor, operation, parameters, mailbox_owner,
--            occurred_at)
-- baseline:  none
-- evidence:  exports [{operation, mailbox, file_path, at}], web_served
-- reason:    {actor} ran {operation} of {mailbox} to {path}
-- false-positives: ticketed eDiscovery and migrations (allow-list by actor)
-- attack:    T1114.002, T1505.003
-- tests:     Tests/IntegrationTests/DetectorTests.swift

with exports as (
    select
        tenant,
        session_id,
        actor,
        operation,
        mailbox_owner,
        occurred_at,
        (
            select p ->> 'Value'
            from jsonb_array_elements(coalesce(parameters, '[]')) as p
            where lower(p ->> 'Name') = 'filepath'
            limit 1
        ) as file_path,
        (
            select string_agg(p ->> 'Value', ' ')
            from jsonb_array_elements(coalesce(parameters, '[]')) as p
        ) as parameter_text
    from analyst.mailbox_events
    where session_id is not null
        and operation in ('New-MailboxExportRequest', 'New-ComplianceSearchAction', 'SearchExported')
),

judged as (
    select
        *,
        coalesce(
            file_path ~* '(aspnet_client|inetpub|wwwroot|\\owa\\|\\ecp\\|\\[a-z]\$\\)'
            or (file_path is not null and file_path !~* '\.pst$'),
            false
        ) as web_served
    from exports
    where operation <> 'New-ComplianceSearchAction' or parameter_text ~* '(^|\s)-export'
),

per_session as (
    select
        tenant,
        session_id,
        min(actor) as actor,
        bool_or(web_served) as web_served,
        (array_agg(operation order by web_served desc, occurred_at))[1] as operation,
        (array_agg(coalesce(mailbox_owner, 'a search') order by web_served desc, occurred_at))[1] as mailbox,
        (array_agg(coalesce(file_path, 'the eDiscovery export') order by web_served desc, occurred_at))[1] as target,
        jsonb_agg(
            jsonb_build_object(
                'operation', operation, 'mailbox', mailbox_owner, 'file_path', file_path, 'at', occurred_at
            ) order by occurred_at
        ) as exports
    from judged
    group by tenant, session_id
)

select
    tenant,
    session_id,
    'export-request' as detector_id,
    case when web_served then 90 else 50 end as points,
    format(
        '%s ran %s of %s to %s%s',
        coalesce(actor, 'an unnamed identity'), operation, mailbox, target,
        case when web_served then ' (web-served or admin-share path)' else '' end
    ) as reason,
    jsonb_build_object('exports', exports, 'web_served', web_served) as evidence
from per_session;
