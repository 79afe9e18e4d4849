-- id:        export-request
-- title:     Mailbox export request, worst when written where the web serves it and then fetched
-- status:    stable
-- severity:  high     points: 50; 65 when a -ContentFilter narrows it or the same actor removes the
--            request within an hour; 90 when the target path is web-served, an admin share or not a
--            .pst; 95 when a web request then fetched the file
-- finds:     New-MailboxExportRequest (admin audit log, MSExchange Management log, UAL), with the
--            Remove-MailboxExportRequest that hides it and the HTTP fetch of the exported file from
--            Exchange IIS or HttpProxy logs.
-- why:       Exports take a whole mailbox at once. HAFNIUM and Dark Halo exported to admin shares
--            and web folders (aspnet_client, owa\auth), fetched the PST over HTTP and removed the
--            request; ProxyShell wrote .aspx web shells the same way. The fetch proves the theft.
-- reads:     analyst.mailbox_events(tenant, session_id, actor, operation, parameters, mailbox_owner,
--            occurred_at), analyst.web_requests(tenant, url_stem, http_status, client_ip, occurred_at,
--            source_file, source_line)
-- baseline:  none
-- routine:   none: each export request is rare; the request, its removal and the fetch are gathered
--            across sessions
-- evidence:  exports [{mailbox, file_path, content_filter, at}], web_served, removed_at,
--            fetches [{at, url, status, client_ip, file, line}]
-- reason:    {actor} exported {mailbox} to {path}; removed the request after {m} min; fetched over the web from {ip}
-- false-positives: ticketed migrations and legal exports to a file share (allow-list by actor)
-- attack:    T1114.002, T1505.003
-- tests:     Tests/IntegrationTests/DetectorTests.swift

with exports as (
    select
        tenant,
        session_id,
        actor,
        mailbox_owner,
        occurred_at,
        mailhound.parameter_value(parameters, 'FilePath') as file_path,
        mailhound.parameter_value(parameters, 'ContentFilter') as content_filter
    from analyst.mailbox_events
    where session_id is not null
        and operation = 'New-MailboxExportRequest'
),

judged as (
    select
        x.*,
        coalesce(
            x.file_path ~* '(aspnet_client|inetpub|wwwroot|\\owa\\|\\ecp\\|\\[a-z]\$\\)'
            or (x.file_path is not null and x.file_path !~* '\.pst$'),
            false
        ) as web_served,
        (
            select min(r.occurred_at)
            from analyst.mailbox_events as r
            where r.tenant = x.tenant
                and r.operation = 'Remove-MailboxExportRequest'
                and lower(r.actor) = lower(x.actor)
                and r.occurred_at between x.occurred_at and x.occurred_at + interval '1 hour'
        ) as removed_at,
        (
            select jsonb_agg(jsonb_build_object(
                'at', w.occurred_at, 'url', w.url_stem, 'status', w.http_status, 'client_ip', host(w.client_ip),
                'file', w.source_file, 'line', w.source_line) order by w.occurred_at, w.source_file, w.source_line)
            from analyst.web_requests as w
            where w.tenant = x.tenant
                and x.file_path is not null
                and w.occurred_at between x.occurred_at and x.occurred_at + interval '7 days'
                and w.http_status between 200 and 299
                and lower(w.url_stem) like '%/' || lower(regexp_replace(x.file_path, '^.*[\\/]', ''))
        ) as fetches
    from exports as x
),

per_session as (
    select
        tenant,
        session_id,
        min(actor) as actor,
        bool_or(web_served) as web_served,
        bool_or(content_filter is not null) as filtered,
        min(removed_at) as removed_at,
        min(occurred_at) as first_at,
        jsonb_agg(f.request order by f.request ->> 'at') filter (where f.request is not null) as fetches,
        (array_agg(coalesce(mailbox_owner, 'a mailbox') order by web_served desc, occurred_at))[1] as mailbox,
        (array_agg(coalesce(file_path, 'an unnamed path') order by web_served desc, occurred_at))[1] as target,
        jsonb_agg(
            distinct jsonb_build_object(
                'mailbox', mailbox_owner, 'file_path', file_path, 'content_filter', content_filter, 'at', occurred_at
            )
        ) as exports
    from judged
    left join lateral jsonb_array_elements(coalesce(judged.fetches, '[]')) as f(request) on true
    group by tenant, session_id
)

select
    tenant,
    session_id,
    'export-request' as detector_id,
    case
        when fetches is not null then 95
        when web_served then 90
        when filtered or removed_at is not null then 65
        else 50
    end as points,
    format(
        '%s exported %s to %s%s%s%s',
        coalesce(actor, 'an unnamed identity'), mailbox, target,
        case when web_served then ' (web-served or admin-share path)' else '' end,
        case when removed_at is not null
            then format('; removed the request %s min later', ceil(extract(epoch from removed_at - first_at) / 60))
            else '' end,
        case when fetches is not null
            then format('; fetched over the web from %s', fetches -> 0 ->> 'client_ip') else '' end
    ) as reason,
    jsonb_build_object(
        'exports', exports, 'web_served', web_served, 'removed_at', removed_at, 'fetches', coalesce(fetches, '[]')
    ) as evidence
from per_session;
