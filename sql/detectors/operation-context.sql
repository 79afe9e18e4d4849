-- id:        operation-context
-- title:     A sensitive admin or compliance operation run first-time, off-hours or from a new network
-- status:    experimental
-- severity:  medium   points: 15 when the actor never ran an operation of that kind before (with 7
--            days of data before), 15 when the session began at an hour the actor never works and
--            the tenant's people do not work either, 20 when it came from a network (/24, IPv6
--            /64, or AS when a table is loaded) the actor had used on no more than one day of the
--            baseline window; added up (at most 50), and 65 when all three come together
-- finds:     Sessions that run an operation that starts a theft: eDiscovery searches and exports,
--            mailbox export requests, mailbox and folder permission grants, management role and
--            role group grants, application consent, inbox forwarding rules, judged by the same
--            context the mail-read detectors use.
-- why:       A theft often begins with one admin or compliance operation and needs no download
--            record to have happened: the export itself is the loss. A ticketed export by the
--            compliance team runs as it always does; a first export, at 03:00, from a hosting
--            address, is the rogue or stolen account: with all three it is high severity with or
--            without a download.
-- reads:     analyst.mailbox_events(tenant, session_id, actor, operation, occurred_at),
--            analyst.sessions(tenant, session_id, actor, client_ip, first_seen, last_seen),
--            analyst.network_owners (mailhound.network_owner()), analyst.organisation_blocks,
--            analyst.tenant_spans(tenant, data_from, working_hours)
-- baseline:  the actor's operations of the same kind in all the data before; the hours and networks
--            of the actor's sessions in the mailhound.baseline_days() (default 30) days before (the
--            hours each was active in; the tenant's working hours are no one's off-hours, as an
--            admin whose history is a few cmdlets at 14:00 still works at 10:00; the tenant's own
--            blocks, analyst.organisation_blocks, are no one's new network; a network used on a
--            single earlier day is not yet known: an intruder who tried the account once before
--            does not make their address familiar);
--            cold start looks both ways: in the data's first baseline window, an actor with fewer
--            than 10 sessions or 5 days before the session, or less than a week of data before it,
--            is judged on the days after it too (from the next day, a baseline window on);
--            off-hours needs 10 such sessions on 5 days; in the data's first
--            week an operation is first-time when none of its kind follows on the days after, and
--            a network is new when it was used on fewer than 2 of 5 or more known days
-- judges:    sessions from mailhound.judged_from(), reading history from the data's start (and, in
--            the first window, a baseline window after)
-- routine:   the actor's own operations, hours and networks are their routine; the tenant's working
--            hours and blocks are everyone's
-- evidence:  kinds, operations, first_time, off_hours, hour_utc, new_network, network,
--            network_days, asn, prior_sessions, looked_ahead, sessions_after, baseline_days
-- reason:    {actor} ran {operations}: {first time [, none after: the data starts here] | at hh:00 UTC, outside their and the tenant's hours | from a new network}
-- false-positives: a new administrator's first week, an on-call night from home
-- attack:    T1098, T1114.002, T1213, T1528
-- tests:     Tests/IntegrationTests/DetectorTests.swift

with data_start as (
    select tenant, data_from as started, coalesce(working_hours, 0) as working_hours from analyst.tenant_spans
),

-- The tenant's own networks (office NAT, VPN egress) are nobody's new network.
organisation as materialized (
    select tenant, block from analyst.organisation_blocks
),

sensitive as (
    select
        tenant,
        session_id,
        actor,
        operation,
        occurred_at,
        case
            when operation in (
                'New-ComplianceSearch', 'SearchCreated', 'Start-ComplianceSearch', 'SearchStarted',
                'New-ComplianceSearchAction', 'SearchExported', 'SearchExportDownloaded'
            ) then 'ediscovery'
            when operation = 'New-MailboxExportRequest' then 'mailbox-export'
            when operation in (
                'Add-MailboxPermission', 'Add-RecipientPermission', 'Add-MailboxFolderPermission',
                'Set-MailboxFolderPermission'
            ) then 'permission-grant'
            when operation in ('New-ManagementRoleAssignment', 'Add-RoleGroupMember', 'New-RoleGroup')
                then 'role-grant'
            when operation in (
                'Consent to application.', 'Add delegated permission grant.',
                'Add app role assignment grant to user.', 'Add app role assignment to service principal.'
            ) then 'app-consent'
            when operation in ('New-InboxRule', 'Set-InboxRule') then 'inbox-rule'
        end as kind
    from analyst.mailbox_events
    where operation in (
        'New-ComplianceSearch', 'SearchCreated', 'Start-ComplianceSearch', 'SearchStarted',
        'New-ComplianceSearchAction', 'SearchExported', 'SearchExportDownloaded', 'New-MailboxExportRequest',
        'Add-MailboxPermission', 'Add-RecipientPermission', 'Add-MailboxFolderPermission',
        'Set-MailboxFolderPermission', 'New-ManagementRoleAssignment', 'Add-RoleGroupMember', 'New-RoleGroup',
        'Consent to application.', 'Add delegated permission grant.', 'Add app role assignment grant to user.',
        'Add app role assignment to service principal.', 'New-InboxRule', 'Set-InboxRule'
    )
        and actor is not null
        and session_id is not null
),

per_session as (
    select
        x.tenant,
        x.session_id,
        min(x.actor) as actor,
        lower(min(x.actor)) as actor_key,
        array_agg(distinct x.kind order by x.kind) as kinds,
        array_agg(distinct x.operation order by x.operation) as operations,
        min(x.occurred_at) as first_operation,
        s.first_seen,
        s.client_ip,
        date_part('hour', s.first_seen at time zone 'UTC')::integer as hour,
        d.started,
        d.working_hours
    from sensitive as x
    join analyst.sessions as s using (tenant, session_id)
    join data_start as d using (tenant)
    where s.first_seen >= mailhound.judged_from()
    group by x.tenant, x.session_id, s.first_seen, s.client_ip, d.started, d.working_hours
),

-- The actor's sessions in the baseline window before each judged session and, for a session in the
-- data's first baseline window whose history before it falls short (fewer than 10 sessions or 5
-- days, or less than a week of data), from the next day to a baseline window after (cold start,
-- looking ahead: logs are loaded after the fact).
context as (
    select
        p.*,
        owner.asn,
        history.prior_sessions,
        history.prior_days,
        short.looked_ahead,
        history.prior_sessions + coalesce(ahead.sessions, 0) as known_sessions,
        history.prior_days + coalesce(ahead.days, 0) as known_days,
        history.prior_hours | coalesce(ahead.hours, 0) as known_hours,
        history.network_days + coalesce(ahead.network_days, 0) as network_days
    from per_session as p
    left join lateral mailhound.network_owner(p.client_ip) as owner on true
    cross join lateral (
        select
            count(*) as prior_sessions,
            count(distinct (earlier.first_seen at time zone 'UTC')::date) as prior_days,
            coalesce(bit_or(mailhound.active_hours(earlier.first_seen, earlier.last_seen)), 0) as prior_hours,
            count(distinct (earlier.first_seen at time zone 'UTC')::date) filter (
                where mailhound.network_block(earlier.client_ip) = mailhound.network_block(p.client_ip)
                    or (owner.asn is not null and (select o.asn from mailhound.network_owner(earlier.client_ip) as o) = owner.asn)
            ) as network_days
        from analyst.sessions as earlier
        where earlier.tenant = p.tenant
            and lower(earlier.actor) = p.actor_key
            and earlier.first_seen < p.first_seen
            and earlier.first_seen >= p.first_seen - mailhound.baseline_days() * interval '1 day'
    ) as history
    cross join lateral (
        select
            p.first_seen < p.started + mailhound.baseline_days() * interval '1 day'
                and (
                    history.prior_sessions < 10 or history.prior_days < 5
                    or p.first_seen < p.started + interval '7 days'
                ) as looked_ahead
    ) as short
    left join lateral (
        select
            count(*) as sessions,
            count(distinct (later.first_seen at time zone 'UTC')::date) as days,
            bit_or(mailhound.active_hours(later.first_seen, later.last_seen)) as hours,
            count(distinct (later.first_seen at time zone 'UTC')::date) filter (
                where mailhound.network_block(later.client_ip) = mailhound.network_block(p.client_ip)
                    or (owner.asn is not null and (select o.asn from mailhound.network_owner(later.client_ip) as o) = owner.asn)
            ) as network_days
        from analyst.sessions as later
        where short.looked_ahead
            and later.tenant = p.tenant
            and lower(later.actor) = p.actor_key
            and later.first_seen >= date_trunc('day', p.first_seen, 'UTC') + interval '1 day'
            and later.first_seen < p.first_seen + mailhound.baseline_days() * interval '1 day'
    ) as ahead on true
),

judged as (
    select
        c.*,
        not exists (
            select 1 from sensitive as earlier
            where earlier.tenant = c.tenant and lower(earlier.actor) = c.actor_key
                and earlier.kind = any(c.kinds) and earlier.occurred_at < c.first_operation
        ) and (
            c.first_operation >= c.started + interval '7 days'
            -- In the data's first week, looking ahead: none of that kind on the days after either.
            or not exists (
                select 1 from sensitive as later
                where later.tenant = c.tenant and lower(later.actor) = c.actor_key
                    and later.kind = any(c.kinds)
                    and later.occurred_at >= date_trunc('day', c.first_operation, 'UTC') + interval '1 day'
                    and later.occurred_at < c.first_operation + mailhound.baseline_days() * interval '1 day'
            )
        ) as first_time,
        c.first_operation < c.started + interval '7 days' as first_time_looked_ahead,
        c.known_sessions >= 10 and c.known_days >= 5
            and c.known_hours & ((1 << ((c.hour + 23) % 24)) | (1 << c.hour) | (1 << ((c.hour + 1) % 24))) = 0
            and c.working_hours & (1 << c.hour) = 0
            as off_hours,
        c.client_ip is not null and c.network_days < 2
            and (c.first_seen >= c.started + interval '7 days' or (c.looked_ahead and c.known_days >= 5))
            and not exists (
                select 1 from organisation as o
                where o.tenant = c.tenant and o.block = mailhound.network_block(c.client_ip)
            ) as new_network
    from context as c
)

select
    tenant,
    session_id,
    'operation-context' as detector_id,
    case
        when first_time and off_hours and new_network then 65
        else case when first_time then 15 else 0 end + case when off_hours then 15 else 0 end
            + case when new_network then 20 else 0 end
    end as points,
    format(
        '%s ran %s: %s',
        actor, array_to_string(operations, ', '),
        array_to_string(array_remove(array[
            case when first_time then 'the first ' || array_to_string(kinds, ', ') || ' operation of theirs in the data'
                || case when first_time_looked_ahead
                    then format(', with none on the %s days after (the data starts here)', mailhound.baseline_days())
                    else '' end end,
            case when off_hours then format('at %s:00 UTC, an hour none of their %s sessions in the %s days %s was active in, outside the tenant''s working hours',
                lpad(hour::text, 2, '0'), known_sessions, mailhound.baseline_days(),
                case when looked_ahead then 'before and after' else 'before' end) end,
            case when new_network then format('from %s, a network they had %s in the %s days %s',
                coalesce(host(client_ip), 'an unknown address'),
                case when network_days = 0 then 'not used' else 'used on one day only' end, mailhound.baseline_days(),
                case when looked_ahead then 'before and after' else 'before' end) end
        ], null), '; ')
    ) as reason,
    jsonb_build_object(
        'kinds', kinds,
        'operations', operations,
        'first_time', first_time,
        'off_hours', off_hours,
        'hour_utc', hour,
        'new_network', new_network,
        'network', host(mailhound.network_block(client_ip)),
        'network_days', network_days,
        'asn', asn,
        'prior_sessions', prior_sessions,
        'looked_ahead', looked_ahead,
        'sessions_after', known_sessions - prior_sessions,
        'baseline_days', mailhound.baseline_days()
    ) as evidence
from judged
where first_time or off_hours or new_network
