-- id:        campaign
-- title:     A new identity, or one on new networks, reaching many mailboxes over several days
-- status:    experimental
-- severity:  high     points: 45, plus 3 per mailbox above 5, plus 10 for an app-only or system
--            identity, at most 75
-- finds:     Campaigns: an identity's touches of other people's mailboxes new to it (not touched in
--            the baseline window before), grouped into runs of days with gaps of at most 3 days.
--            A campaign of 5 or more such mailboxes on 2 or more days fires when the identity is
--            new (first seen at most a week before the campaign: after the data's first week, or
--            within it when, looking ahead, the campaign ended a week or more before the data does
--            and the identity was active on fewer than 5 days of the baseline window after) or,
--            for a campaign after the data's first week, every session of it came from a network
--            block (/24, /64) the identity had not used in the baseline window before it. Every
--            session of the campaign that reached one of those mailboxes gets the finding, so
--            cutting a theft into sessions of one mailbox each does not lower its rank.
-- why:       Stolen app credentials and consented apps read a few executives a night for days,
--            each mailbox its own short session: no session and no day is broad, the campaign is.
--            Assistants read the same few mailboxes, help desks and insiders work from the
--            networks they always use, backup apps reach every mailbox on their first night only.
-- reads:     analyst.mailbox_touches(tenant, session_id, actor, actor_key, actor_kind, mailbox,
--            first_seen, touched_before), analyst.sessions(tenant, session_id, actor, client_ip,
--            first_seen), analyst.tenant_spans(tenant, data_from, data_until)
-- baseline:  the identity's touches and networks in the mailhound.baseline_days() (default 30)
--            days before the campaign; cold start looks both ways: an identity first seen in the
--            data's first week may only have started with the data, so it is new only when the
--            campaign stopped and the identity all but stopped with it (a CRM account that starts
--            with the data reads the same mailboxes for weeks, an admin's chores and a help desk
--            reach new ones as long as the data runs; a theft takes each mailbox once and is gone)
-- routine:   this is the campaign view: routine identities reach no mailboxes new to them; every
--            session of a campaign gets the finding
-- evidence:  mailboxes, mailbox_count, days, first_day, last_day, sessions, new_identity,
--            looked_ahead, active_days_after, new_network_sessions, networks, app_only,
--            baseline_days
-- reason:    {actor} ({new identity [, the data starts here: it stopped on {day} and was active on {n} days after] | on new networks}) reached {n} mailboxes new to it on {k} days from {first} to {last}
-- false-positives: a new migration or archiving service (damped by nothing: allow-list it),
--            a new assistant covering many bosses from home
-- attack:    T1114.002, T1528
-- tests:     Tests/IntegrationTests/DetectorTests.swift

with data_start as (
    select
        tenant,
        (data_from at time zone 'UTC')::date - date '1970-01-01' as first_day,
        (data_until at time zone 'UTC')::date - date '1970-01-01' as last_day
    from analyst.tenant_spans
),

-- Touches of mailboxes new to the identity.
new_touches as (
    select
        tenant,
        actor_key,
        actor,
        actor_kind in ('app', 'system') as machine,
        mailbox,
        session_id,
        (first_seen at time zone 'UTC')::date - date '1970-01-01' as day
    from analyst.mailbox_touches
    where touched_before is null or touched_before < first_seen - mailhound.baseline_days() * interval '1 day'
),

-- Runs of days with gaps of at most 3 days form one campaign.
numbered as (
    select
        t.*,
        sum(case when t.day - t.previous_day <= 3 then 0 else 1 end) over (
            partition by t.tenant, t.actor_key order by t.day, t.session_id, t.mailbox rows unbounded preceding
        ) as campaign
    from (
        select
            n.*,
            lag(n.day) over (partition by n.tenant, n.actor_key order by n.day, n.session_id, n.mailbox) as previous_day
        from new_touches as n
    ) as t
),

campaigns as (
    select
        tenant,
        actor_key,
        campaign,
        min(actor) as actor,
        bool_or(machine) as app_only,
        count(distinct mailbox) as mailbox_count,
        array_agg(distinct mailbox order by mailbox) as mailboxes,
        count(distinct day) as days,
        min(day) as first_day,
        max(day) as last_day,
        array_agg(distinct session_id order by session_id) as sessions
    from numbered
    group by tenant, actor_key, campaign
    having count(distinct mailbox) >= 5 and count(distinct day) >= 2
),

-- Whether the identity is new, and which of the campaign's sessions came from a network block it
-- had not used in the baseline window before the campaign.
judged as (
    select
        c.*,
        ident.first_day_seen >= c.first_day - 7
            and (
                ident.first_day_seen >= d.first_day + 7
                or (c.last_day + 7 <= d.last_day and later.active_days < 5)
            ) as new_identity,
        ident.first_day_seen < d.first_day + 7 as looked_ahead,
        case when ident.first_day_seen < d.first_day + 7 then later.active_days end as active_days,
        c.first_day >= d.first_day + 7 as has_history,
        nets.new_network_sessions,
        nets.member_sessions,
        nets.networks
    from campaigns as c
    join data_start as d using (tenant)
    cross join lateral (
        select (min(s.first_seen) at time zone 'UTC')::date - date '1970-01-01' as first_day_seen
        from analyst.sessions as s
        where s.tenant = c.tenant and lower(s.actor) = c.actor_key
    ) as ident
    -- Cold start, looking ahead: for an identity the data starts with, the days after the campaign
    -- on which it was active (looked up only for such identities).
    left join lateral (
        select count(distinct (s.first_seen at time zone 'UTC')::date) as active_days
        from analyst.sessions as s
        where ident.first_day_seen < d.first_day + 7
            and s.tenant = c.tenant and lower(s.actor) = c.actor_key
            and s.first_seen >= (date '1970-01-01' + c.last_day + 1)::timestamp at time zone 'UTC'
            and s.first_seen < (date '1970-01-01' + c.last_day + 1 + mailhound.baseline_days())::timestamp
                at time zone 'UTC'
    ) as later on true
    cross join lateral (
        select
            count(*) filter (where s.client_ip is not null and not exists (
                select 1 from analyst.sessions as earlier
                where earlier.tenant = c.tenant and lower(earlier.actor) = c.actor_key
                    and earlier.first_seen < (date '1970-01-01' + c.first_day)::timestamp at time zone 'UTC'
                    and earlier.first_seen >= (date '1970-01-01' + c.first_day - mailhound.baseline_days())::timestamp
                        at time zone 'UTC'
                    and mailhound.network_block(earlier.client_ip) = mailhound.network_block(s.client_ip)
            )) as new_network_sessions,
            count(*) as member_sessions,
            array_agg(distinct host(mailhound.network_block(s.client_ip)))
                filter (where s.client_ip is not null) as networks
        from analyst.sessions as s
        where s.tenant = c.tenant and s.session_id = any(c.sessions)
    ) as nets
)

select
    j.tenant,
    member as session_id,
    'campaign' as detector_id,
    least(45 + 3 * (j.mailbox_count - 5) + case when j.app_only then 10 else 0 end, 75)::integer as points,
    format(
        '%s (%s%s) reached %s mailboxes new to it on %s days from %s to %s',
        j.actor,
        case when j.app_only then 'an app-only identity, ' else '' end,
        case when j.new_identity and j.looked_ahead then 'first seen ' || (date '1970-01-01' + j.first_day)::text
                || ', the data starts here: it stopped on ' || (date '1970-01-01' + j.last_day)::text
                || ' and was active on ' || j.active_days || ' days after'
            when j.new_identity then 'first seen ' || (date '1970-01-01' + j.first_day)::text
            else 'from networks it had not used before' end,
        j.mailbox_count, j.days, date '1970-01-01' + j.first_day, date '1970-01-01' + j.last_day
    ) as reason,
    jsonb_build_object(
        'mailboxes', j.mailboxes[1:20],
        'mailbox_count', j.mailbox_count,
        'days', j.days,
        'first_day', date '1970-01-01' + j.first_day,
        'last_day', date '1970-01-01' + j.last_day,
        'sessions', cardinality(j.sessions),
        'new_identity', j.new_identity,
        'looked_ahead', j.looked_ahead,
        'active_days_after', j.active_days,
        'new_network_sessions', j.new_network_sessions,
        'networks', coalesce(j.networks, '{}'),
        'app_only', j.app_only,
        'baseline_days', mailhound.baseline_days()
    ) as evidence
from judged as j
cross join lateral unnest(j.sessions) as member
where j.new_identity or (j.has_history and j.new_network_sessions = j.member_sessions)
