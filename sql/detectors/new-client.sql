-- id:        new-client
-- title:     Client address or app never seen before for this actor
-- status:    stable
-- severity:  low      points: 25 for a new network (the autonomous system routing the address when
--            an IP-to-ASN table is loaded, else its /24 for IPv4, /64 for IPv6), plus 10 for a new
--            client app
-- finds:     Sessions whose client network or client app the actor did not use in any session of
--            the baseline window before, for actors with sessions on a week or more of data before. A new address in a
--            network the actor already uses (office NAT pools, DHCP) is not news, nor is a block
--            many of the tenant's people use (analyst.organisation_blocks: the office, the VPN).
--            Nor is the network or client of an app the actor let read their mail in the 7 days
--            before, in sessions whose records name it (analyst.consented_app_sessions): those reads
--            are consented-app-reads' to judge.
-- why:       Stolen credentials and tokens are used from the intruder's own infrastructure and
--            tools. Alone it is weak (travel, new phones); it sharpens every other finding.
-- reads:     analyst.sessions(tenant, session_id, actor, client_ip, client, first_seen),
--            analyst.actor_days(tenant, actor_key, day, client_ip, client, sessions, last_start),
--            analyst.network_owners (mailhound.network_owner()), analyst.organisation_blocks,
--            analyst.tenant_spans(tenant, data_from), analyst.consented_app_sessions(tenant,
--            session_id, consented_at)
-- baseline:  the actor's sessions in the mailhound.baseline_days() (default 30) days before; no
--            finding without a week of history (cold start: a day or two shows the office or home,
--            not both), except for sessions a week or more before the data's first baseline
--            window ends, of actors there from the data's first 3 days: then the actor's sessions
--            after, up to that window's end, count (at least 10); a network or client used in 3
--            of them and a tenth is the routine the data starts with, else it is new, and the
--            reason says "the data starts here"
-- judges:    sessions from mailhound.judged_from(), reading history from mailhound.history_from()
-- routine:   the networks and clients of the baseline window are the actor's routine; the blocks
--            a twentieth of the tenant's actors (at least 10) use are everyone's
-- evidence:  client_ip, client, new_address, new_network, new_client, prior_sessions, looked_ahead,
--            sessions_after, network, asn, network_owner, baseline_days
-- reason:    {actor} used a new address {ip} (new network[: AS{n} {owner}]) and a new client {client}[ (the data starts here: seldom or never used again)]
-- false-positives: travel, new devices, ISP changes
-- attack:    T1078
-- tests:     Tests/IntegrationTests/DetectorTests.swift

-- Who routes each address, once per distinct address, when a table is loaded.
with owners as (
    select a.client_ip, o.asn, o.name
    from (
        select distinct client_ip from analyst.sessions
        where client_ip is not null and first_seen >= mailhound.history_from()
    ) as a
    cross join lateral mailhound.network_owner(a.client_ip) as o
    where exists (select 1 from analyst.network_owners)
),

-- The actors' days the run wrote (a row per address and client a day) from the baseline window
-- before the judged sessions on, with 64-bit keys of the actor, the network (the AS when known,
-- else the block) and the client for the sort below, and whether the day ends before the data's
-- first baseline window does (the tenant's: records added after it change no count, as an
-- incremental run needs).
days as (
    select
        d.tenant,
        d.actor_key,
        d.day,
        d.client_ip,
        d.client,
        d.sessions,
        d.last_start,
        hashtextextended(d.tenant || '|' || d.actor_key, 0) as actor_hash,
        hashtextextended(coalesce('AS' || o.asn, mailhound.network_block(d.client_ip)::text), 0) as network_key,
        hashtextextended(d.client, 0) as client_key,
        -- The baseline window before the judged days counts as one day before them: a judged
        -- day needs only its latest session and how many there were.
        greatest(d.day, judged.day - 1) as counted_day,
        coalesce(d.day < spans.window_end_day, false) as before_window_end
    from analyst.actor_days as d
    left join owners as o using (client_ip)
    -- The day the first window ends, once a tenant rather than once a row (10M events, a day
    -- judged: 0.07-0.08 s against 0.15-0.17 s for the rows' comparison).
    left join (
        select tenant, ((data_from + mailhound.baseline_days() * interval '1 day') at time zone 'UTC')::date
            as window_end_day
        from analyst.tenant_spans
    ) as spans using (tenant)
    cross join (select (mailhound.judged_from() at time zone 'UTC')::date as day) as judged
    where d.day >= (select (mailhound.history_from() at time zone 'UTC')::date)
),

-- Each day an actor used a network (kind 1) or a client (2), with the latest session before that
-- day with the same network or client, and how many sessions came on the days before and on the
-- days after and before the first window ends. Days, not sessions, are sorted, as narrow rows of
-- number keys: a day's later sessions have its first before them, so only a day's first session
-- can be new.
used as (
    select
        g.*,
        lag(g.latest) over whole_key as seen_before,
        sum(g.sessions) over by_key - g.sessions as days_before,
        coalesce(sum(g.sessions) filter (where g.before_window_end) over whole_key, 0)
            - coalesce(sum(g.sessions) filter (where g.before_window_end) over by_key, 0) as days_after
    from (
        select actor_hash, 1 as kind, network_key as key, counted_day as day, max(last_start) as latest,
            sum(sessions)::integer as sessions, bool_and(before_window_end) as before_window_end
        from days where client_ip is not null group by actor_hash, network_key, counted_day
        union all
        select actor_hash, 2, client_key, counted_day, max(last_start), sum(sessions)::integer,
            bool_and(before_window_end)
        from days where client is not null group by actor_hash, client_key, counted_day
    ) as g
    -- Running sums, and the key's whole days (one aggregate a key, not one a row).
    window
        by_key as (partition by g.actor_hash, g.kind, g.key order by g.day),
        whole_key as (by_key rows between unbounded preceding and unbounded following)
),

-- The same counts of each day the actor was seen at all. Sorted apart from the networks and
-- clients, and joined to the few days that may hold something new, rather than sorted with them
-- and spread over each day's rows by a window (30M events, the detector alone, alternated: 3.61,
-- 4.04 and 3.64 s against 4.44, 4.23 and 4.40 s; the same findings).
actor_counts as (
    select
        a.actor_hash,
        a.day,
        sum(a.sessions) over by_day - a.sessions as actor_days_before,
        coalesce(sum(a.sessions) filter (where a.before_window_end) over whole_actor, 0)
            - coalesce(sum(a.sessions) filter (where a.before_window_end) over by_day, 0) as actor_days_after
    from (
        select actor_hash, counted_day as day, sum(sessions)::integer as sessions,
            bool_and(before_window_end) as before_window_end
        from days group by actor_hash, counted_day
    ) as a
    window
        by_day as (partition by a.actor_hash order by a.day),
        whole_actor as (by_day rows between unbounded preceding and unbounded following)
),

-- The judged days whose first session may be new: even the day's latest began more than the
-- baseline window after the one before (seen longer ago than the window counts as new); with
-- the actor's counts of the day.
fresh as (
    select u.*, a.actor_days_before, a.actor_days_after
    from used as u
    join actor_counts as a using (actor_hash, day)
    where u.day >= (select (mailhound.judged_from() at time zone 'UTC')::date)
        and coalesce(u.seen_before, '-infinity')
            < u.latest - (select mailhound.baseline_days() * interval '1 day')
),

-- The actors by key.
actors as (
    select distinct actor_hash, tenant, actor_key from days
),

-- Each such day's first session with that network or client, through the sessions' (tenant,
-- actor, time) index, and whether it is new.
firsts as (
    select
        f.kind,
        f.days_after,
        f.actor_days_before,
        f.actor_days_after,
        s.*,
        coalesce(f.seen_before, '-infinity') < s.first_seen - mailhound.baseline_days() * interval '1 day' as new
    from fresh as f
    join actors as a using (actor_hash)
    cross join lateral (
        select s.tenant, s.session_id, s.actor, s.client_ip, s.client, s.first_seen
        from analyst.sessions as s
        where s.tenant = a.tenant and lower(s.actor) = a.actor_key
            and s.first_seen >= f.day::timestamp at time zone 'UTC'
            and s.first_seen < (f.day + 1)::timestamp at time zone 'UTC'
            -- A searched case: Citus sends a simple one to the workers as "case kind when null::boolean"
            -- (citusdata/citus#2862).
            and f.key = case
                when f.kind = 1 then hashtextextended(
                    coalesce(
                        'AS' || (select o.asn from mailhound.network_owner(s.client_ip) as o),
                        mailhound.network_block(s.client_ip)::text
                    ),
                    0
                )
                else hashtextextended(s.client, 0)
            end
        order by s.first_seen, s.session_id
        limit 1
    ) as s
),

-- The sessions with a new network or client, and the counts of the days around theirs.
unseen as (
    select
        tenant, session_id, actor, client_ip, client, first_seen,
        bool_or(kind = 1 and new) as unseen_network,
        bool_or(kind = 2 and new) as new_client,
        max(actor_days_before) as actor_days_before,
        max(actor_days_after) as actor_days_after,
        max(days_after) filter (where kind = 1) as network_days_after,
        max(days_after) filter (where kind = 2) as client_days_after
    from firsts
    group by tenant, session_id, actor, client_ip, client, first_seen
    having bool_or(new)
),

-- Sessions whose records name an app the actor let read their mail in the 7 days before: that
-- app's servers and client are the consent's doing, and consented-app-reads judges its reads (one
-- fact, one finding: the app's network counted here too outranked a quiet intruder).
explained as (
    select distinct a.tenant, a.session_id
    from analyst.consented_app_sessions as a
    where a.consented_at >= mailhound.judged_from() - interval '7 days'
),

-- The tenant's own networks (office NAT, VPN egress) are nobody's new network.
organisation as materialized (
    select tenant, block as organisation_block from analyst.organisation_blocks
),

-- With their network, the tenant's first window (see decided), and when the actor was first seen.
novel as (
    select
        u.*,
        u.unseen_network and b.organisation_block is null as new_network,
        o.asn,
        coalesce('AS' || o.asn, mailhound.network_block(u.client_ip)::text) as network,
        (u.first_seen at time zone 'UTC')::date as day,
        spans.data_from,
        spans.data_from + mailhound.baseline_days() * interval '1 day' as first_window_ends,
        ((spans.data_from + mailhound.baseline_days() * interval '1 day') at time zone 'UTC')::date as last_day,
        history.actor_since
    from unseen as u
    left join organisation as b
        on b.tenant = u.tenant and b.organisation_block = mailhound.network_block(u.client_ip)
    left join owners as o on o.client_ip = u.client_ip
    left join explained as x on x.tenant = u.tenant and x.session_id = u.session_id
    left join analyst.tenant_spans as spans on spans.tenant = u.tenant
    cross join lateral (
        select min(earlier.first_seen) as actor_since
        from analyst.sessions as earlier
        where earlier.tenant = u.tenant and lower(earlier.actor) = lower(u.actor) and earlier.first_seen < u.first_seen
    ) as history
    where ((u.unseen_network and b.organisation_block is null) or u.new_client)
        and x.session_id is null
),

-- Whether the address is new too: it is when the network is (an address has one network), else
-- when no session of the actor before this one within the baseline window came from it. How
-- many of the actor's sessions from the baseline window before the judged ones on began before
-- this one, and, for the data's first window, how many after it and before the window ends, with
-- its network, with its client and in all: whole days from the counts above, the session's own
-- day and the window's last day from the sessions.
judged as (
    select
        n.*,
        n.client_ip is not null and (
            n.unseen_network
            or not exists (
                select from analyst.sessions as e
                where e.tenant = n.tenant and lower(e.actor) = lower(n.actor) and e.client_ip = n.client_ip
                    and e.first_seen >= n.first_seen - mailhound.baseline_days() * interval '1 day'
                    and (e.first_seen, e.session_id) < (n.first_seen, n.session_id)
            )
        ) as new_address,
        n.actor_days_before + near.earlier as earlier_sessions,
        n.actor_days_after + near.later - 1 as sessions_later,
        n.network_days_after + near.network_later as network_later,
        n.client_days_after + near.client_later as client_later
    from novel as n
    cross join lateral (
        select
            count(*) filter (where e.first_seen < n.first_seen) as earlier,
            count(*) filter (where e.first_seen >= n.first_seen and e.first_seen < n.first_window_ends) as later,
            count(*) filter (where after.counts and en.network = n.network) as network_later,
            count(*) filter (where after.counts and e.client = n.client) as client_later
        from analyst.sessions as e
        cross join lateral (
            select (e.first_seen, e.session_id) > (n.first_seen, n.session_id)
                and e.first_seen < n.first_window_ends as counts
        ) as after
        cross join lateral (
            select coalesce(
                'AS' || (select o.asn from mailhound.network_owner(e.client_ip) as o),
                mailhound.network_block(e.client_ip)::text
            ) as network
        ) as en
        where e.tenant = n.tenant and lower(e.actor) = lower(n.actor)
            and (
                (e.first_seen >= n.day::timestamp at time zone 'UTC'
                    and e.first_seen < (n.day + 1)::timestamp at time zone 'UTC')
                or (n.last_day > n.day
                    and e.first_seen >= n.last_day::timestamp at time zone 'UTC'
                    and e.first_seen < n.first_window_ends)
            )
    ) as near
),

-- Who had a week of history before. In the data's first window, an actor there from its first
-- days is judged by the sessions after instead: a network or client the actor keeps using is the
-- routine the data starts with, one seldom or never used again is new.
decided as (
    select
        j.*,
        looked.ahead as looked_ahead,
        -- Known from the sessions after: used in 3 of them and a tenth, so an intruder coming
        -- back on a second night does not make their network routine.
        j.new_network and (not looked.ahead or j.network_later < greatest(3, j.sessions_later / 10.0))
            as network_is_new,
        j.new_client and (not looked.ahead or j.client_later < greatest(3, j.sessions_later / 10.0))
            as client_is_new
    from judged as j
    cross join lateral (
        select
            coalesce(j.actor_since > j.first_seen - interval '7 days', true)
                and j.first_seen < j.first_window_ends - interval '7 days'
                and coalesce(j.actor_since, j.first_seen) < j.data_from + interval '3 days'
                and j.sessions_later >= 10
                as ahead
    ) as looked
    where j.actor_since <= j.first_seen - interval '7 days' or looked.ahead
)

select
    j.tenant,
    j.session_id,
    'new-client' as detector_id,
    (case when network_is_new then 25 else 0 end + case when client_is_new then 10 else 0 end)::integer as points,
    format(
        '%s used %s%s%s',
        j.actor,
        case
            when network_is_new and j.asn is not null
                then format('a new address %s (new network: AS%s %s)', host(j.client_ip), j.asn, coalesce(o.name, ''))
            when network_is_new then format('a new address %s (new network)', host(j.client_ip))
            else ''
        end,
        case
            when client_is_new and network_is_new then format(' and a new client %s', j.client)
            when client_is_new then format('a new client %s', j.client)
            else ''
        end,
        case
            when j.looked_ahead
                then ' (the data starts here: seldom or never used again)'
            else ''
        end
    ) as reason,
    jsonb_build_object(
        'client_ip', host(j.client_ip), 'client', j.client, 'new_address', new_address,
        'new_network', network_is_new, 'new_client', client_is_new, 'prior_sessions', history.prior_sessions,
        'looked_ahead', j.looked_ahead, 'sessions_after', case when j.looked_ahead then j.sessions_later end,
        'network', j.network, 'asn', j.asn, 'network_owner', o.name,
        'baseline_days', mailhound.baseline_days()
    ) as evidence
from decided as j
left join owners as o on o.client_ip = j.client_ip
-- How often the actor was seen before: the sessions read above, and those before them (none in a
-- full run), counted only for the sessions that fire.
cross join lateral (
    select j.earlier_sessions + count(*) as prior_sessions
    from analyst.sessions as earlier
    where earlier.tenant = j.tenant and lower(earlier.actor) = lower(j.actor)
        and earlier.first_seen < mailhound.history_from()
) as history
where j.network_is_new or j.client_is_new;
