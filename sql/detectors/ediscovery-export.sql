-- id:        ediscovery-export
-- title:     eDiscovery search exported by someone new to eDiscovery, over many mailboxes
-- status:    stable
-- severity:  high     points: 30 for an export, +20 when the actor did no eDiscovery in the 90 days
--            before (with at least 7 days of data before), +15 when it spans all mailboxes, +15 when
--            the export was downloaded from a network (/24, IPv6 /64) the actor had not used before
--            and that is not one of the tenant's own (with at least 7 days of data before; at most
--            80)
-- finds:     Sessions with New-ComplianceSearchAction -Export, SearchExported or
--            SearchExportDownloaded, with the stages of the same search (created, started,
--            exported, downloaded) gathered from the actor's records.
-- why:       A compliance search can collect every mailbox and hand it out as one download: the
--            rogue-admin and stolen-admin-credential route to bulk theft. Sigma and ESCU alert on
--            one event; the actor's history and the stages are what tell a ticketed case from theft.
-- reads:     analyst.mailbox_events(tenant, session_id, actor, operation, parameters, raw,
--            client_ip, occurred_at), analyst.sessions(tenant, actor, client_ips, first_seen),
--            analyst.organisation_blocks(tenant, block), analyst.tenant_spans(tenant, data_from)
-- baseline:  the actor's eDiscovery operations in the 90 days before; addresses of the actor's
--            earlier sessions; the tenant's own blocks (office NAT, VPN) are no one's new network;
--            cold start: first-time and a new download network need 7 days of data before
-- routine:   the actor's own eDiscovery in the 90 days before makes a ticketed export routine; the
--            stages of one search are gathered across sessions
-- evidence:  stages, searches, all_mailboxes, first_time, download_address, new_download_address,
--            stage_sessions (each stage of the same searches: the sessions it happened in)
-- reason:    {actor} exported eDiscovery search {names} ({stages}); first eDiscovery in 90 days, all mailboxes
-- false-positives: ticketed legal holds and exports (allow-list the compliance team with the ticket)
-- attack:    T1114.002, T1213
-- tests:     Tests/IntegrationTests/DetectorTests.swift

with ediscovery as (
    select
        tenant,
        session_id,
        actor,
        operation,
        occurred_at,
        client_ip,
        coalesce(
            mailhound.parameter_value(parameters, 'SearchName'),
            substring(mailhound.parameter_text(parameters) from '-SearchName "?([^"]+)"?'),
            (select p ->> 'Value' from jsonb_array_elements(
                case when jsonb_typeof(raw::jsonb -> 'ExtendedProperties') = 'array'
                    then raw::jsonb -> 'ExtendedProperties' else '[]' end) as p
             where p ->> 'Name' = 'SearchName' limit 1),
            regexp_replace(object_id, '_Export$', '')
        ) as search_name,
        coalesce(
            mailhound.parameter_value(parameters, 'ExchangeLocation') ~* '^all$'
            or mailhound.parameter_text(parameters) ~* '-ExchangeLocation\s+"?All\y'
            or raw ~* 'AllExchange|"Scope"\s*:\s*"All',
            false
        ) as all_mailboxes,
        case
            when operation in ('New-ComplianceSearch', 'SearchCreated') then 'created'
            when operation in ('Start-ComplianceSearch', 'SearchStarted') then 'started'
            when operation = 'SearchExportDownloaded' then 'downloaded'
            when operation = 'SearchExported'
                or (operation = 'New-ComplianceSearchAction' and mailhound.parameter_text(parameters) ~* '(^|\s)-Export') then 'exported'
        end as stage
    from analyst.mailbox_events
    where operation in (
        'New-ComplianceSearch', 'SearchCreated', 'Start-ComplianceSearch', 'SearchStarted',
        'New-ComplianceSearchAction', 'SearchExported', 'SearchExportDownloaded'
    )
),

exporting_sessions as (
    select
        tenant,
        session_id,
        min(actor) as actor,
        min(occurred_at) as first_at,
        array_agg(distinct stage order by stage) filter (where stage is not null) as stages,
        array_agg(distinct search_name order by search_name) filter (where search_name is not null) as searches,
        bool_or(all_mailboxes) as all_mailboxes,
        (array_agg(client_ip order by occurred_at) filter (where stage = 'downloaded'))[1] as download_address
    from ediscovery
    where session_id is not null
    group by tenant, session_id
    having bool_or(stage in ('exported', 'downloaded'))
),

judged as (
    select
        x.*,
        -- Other stages of the same searches by the same actor, in any session.
        (select bool_or(e.all_mailboxes) from ediscovery as e
         where e.tenant = x.tenant and lower(e.actor) = lower(x.actor) and e.search_name = any(x.searches)) as search_all,
        -- The sessions of each stage of the same searches, by anyone: the chain across sessions.
        (
            select jsonb_object_agg(by_stage.stage, by_stage.sessions)
            from (
                select e.stage, array_agg(distinct e.session_id order by e.session_id) as sessions
                from ediscovery as e
                where e.tenant = x.tenant and e.search_name = any(x.searches)
                    and e.stage is not null and e.session_id is not null
                group by e.stage
            ) as by_stage
        ) as stage_sessions,
        not exists (
            select 1 from ediscovery as e
            where e.tenant = x.tenant and lower(e.actor) = lower(x.actor)
                and e.occurred_at between x.first_at - interval '90 days' and x.first_at - interval '1 day'
        ) and data.week_before as first_time,
        x.download_address is not null and data.week_before and not exists (
            select 1 from analyst.organisation_blocks as o
            where o.tenant = x.tenant and o.block = mailhound.network_block(x.download_address)
        ) and not exists (
            select 1 from analyst.sessions as s
            where s.tenant = x.tenant and lower(s.actor) = lower(x.actor)
                and s.first_seen < x.first_at
                and exists (
                    select 1 from unnest(s.client_ips) as ip
                    where family(ip) = family(x.download_address)
                        and mailhound.network_block(ip) >>= x.download_address
                )
        ) as new_download_address
    from exporting_sessions as x
    -- Whether the data starts at least 7 days before the export (cold start).
    cross join lateral (
        select exists (
            select 1 from analyst.tenant_spans as spans
            where spans.tenant = x.tenant and spans.data_from < x.first_at - interval '7 days'
        ) as week_before
    ) as data
)

select
    tenant,
    session_id,
    'ediscovery-export' as detector_id,
    least(
        30 + case when first_time then 20 else 0 end
            + case when all_mailboxes or search_all then 15 else 0 end
            + case when new_download_address then 15 else 0 end,
        80
    ) as points,
    format(
        '%s exported eDiscovery search %s (%s)%s%s%s',
        coalesce(actor, 'an unnamed identity'), coalesce(array_to_string(searches, ', '), '(unnamed)'),
        array_to_string(stages, ', '),
        case when first_time then '; first eDiscovery in 90 days' else '' end,
        case when all_mailboxes or search_all then '; all mailboxes' else '' end,
        case when new_download_address then format('; downloaded from new address %s', host(download_address)) else '' end
    ) as reason,
    jsonb_build_object(
        'stages', stages,
        'searches', coalesce(searches, '{}'),
        'all_mailboxes', coalesce(all_mailboxes or search_all, false),
        'first_time', first_time,
        'download_address', host(download_address),
        'new_download_address', new_download_address,
        'stage_sessions', coalesce(stage_sessions, '{}')
    ) as evidence
from judged;
