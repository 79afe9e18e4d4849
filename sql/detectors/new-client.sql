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
-- why:       Stolen credentials and tokens are used from the intruder's own infrastructure and
--            tools. Alone it is weak (travel, new phones); it sharpens every other finding.
-- reads:     analyst.sessions(tenant, session_id, actor, client_ip, client, first_seen),
--            analyst.actor_days(tenant, actor_key, day, client_ip, client, sessions, last_start),
--            analyst.network_owners (mailhound.network_owner()), analyst.organisation_blocks,
--            analyst.tenant_spans(tenant, data_from)
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

-- The judged sessions as narrow rows with number keys: the window passes sort every one of them,
-- so the texts (tenant, actor, client) are hashed into 64-bit keys for the sort and fetched again
-- only for the sessions that fire.
placed as (
    select
        s.tenant,
        s.session_id,
        s.client_ip,
        s.client is not null as has_client,
        s.first_seen,
        hashtextextended(s.tenant || '|' || lower(s.actor), 0) as actor_key,
        o.asn,
        -- The network is the AS when known, else the block.
        coalesce('AS' || o.asn, mailhound.network_block(s.client_ip)::text) as network,
        hashtextextended(s.client, 0) as client_key
    from analyst.sessions as s
    left join owners as o using (client_ip)
    where s.actor is not null and s.first_seen >= mailhound.judged_from()
),

-- A full run judges every session. An incremental one judges those from judged_from() and looks
-- back at the baseline window before them only for each actor's latest session with each address,
-- network and client, and how many sessions: one hashed pass over the actors' days the run wrote
-- (a row per address and client a day, keyed as above) rather than a sort with the judged ones.
looked_back as (
    select
        actor_key, client_ip, network, client_key,
        grouping(client_ip, network, client_key) as grouped_by,
        max(last_start) as latest,
        sum(sessions) as sessions
    from (
        select
            hashtextextended(d.tenant || '|' || d.actor_key, 0) as actor_key,
            d.client_ip,
            coalesce('AS' || o.asn, mailhound.network_block(d.client_ip)::text) as network,
            hashtextextended(d.client, 0) as client_key,
            d.last_start,
            d.sessions
        from analyst.actor_days as d
        left join owners as o using (client_ip)
        where d.day >= (select (mailhound.history_from() at time zone 'UTC')::date)
            and d.day < (select (mailhound.judged_from() at time zone 'UTC')::date)
    ) as days
    group by grouping sets ((actor_key, client_ip), (actor_key, network), (actor_key, client_key), (actor_key))
),

-- Each "seen before" is the actor's previous session with that address, network or client: a
-- window lag over the judged sessions, else the latest of those looked back at, so the cost grows
-- with the sessions, not with their pairs. Seen longer ago than the baseline window counts as new.
-- For the data's first window the same windows count the sessions after this one and before the
-- window ends, with its network, with its client and in all (lag and rank ignore the frames). Their
-- end is the tenant's, so records added after it change no count, as an incremental run needs.
previous as (
    select
        p.*,
        lag(p.first_seen) over by_address as judged_address_seen,
        lag(p.first_seen) over by_network as judged_network_seen,
        lag(p.first_seen) over by_client as judged_client_seen,
        p.first_seen - mailhound.baseline_days() * interval '1 day' as window_start,
        -- The actor's judged sessions begun before this one.
        rank() over by_actor - 1 as judged_earlier,
        count(*) filter (where p.first_seen < first_window.ends) over by_network as network_later,
        count(*) filter (where p.first_seen < first_window.ends) over by_client as client_later,
        count(*) filter (where p.first_seen < first_window.ends) over by_actor - 1 as sessions_later,
        first_window.data_from,
        first_window.ends as first_window_ends
    from placed as p
    left join lateral (
        select spans.data_from, spans.data_from + mailhound.baseline_days() * interval '1 day' as ends
        from analyst.tenant_spans as spans
        where spans.tenant = p.tenant
    ) as first_window on true
    window
        by_address as (partition by p.actor_key, p.client_ip order by p.first_seen, p.session_id),
        by_network as (
            partition by p.actor_key, p.network order by p.first_seen, p.session_id
            rows between 1 following and unbounded following
        ),
        by_client as (
            partition by p.actor_key, p.client_key order by p.first_seen, p.session_id
            rows between 1 following and unbounded following
        ),
        by_actor as (
            partition by p.actor_key order by p.first_seen
            range between current row and unbounded following
        )
),

-- The tenant's own networks (office NAT, VPN egress) are nobody's new network.
organisation as materialized (
    select tenant, block as organisation_block from analyst.organisation_blocks
),

unseen as (
    select
        p.*,
        p.judged_earlier + coalesce(actor.sessions, 0) as earlier_sessions,
        p.client_ip is not null
            and coalesce(p.judged_address_seen, address.latest, '-infinity') < p.window_start as new_address,
        p.client_ip is not null
            and coalesce(p.judged_network_seen, network.latest, '-infinity') < p.window_start as unseen_network,
        p.has_client and coalesce(p.judged_client_seen, client.latest, '-infinity') < p.window_start as new_client
    from previous as p
    -- grouping() sets a bit for each column a set leaves out: 3 is by address, 5 by network, 6 by
    -- client, 7 by actor alone.
    left join looked_back as address
        on address.grouped_by = 3 and address.actor_key = p.actor_key and address.client_ip = p.client_ip
    left join looked_back as network
        on network.grouped_by = 5 and network.actor_key = p.actor_key and network.network = p.network
    left join looked_back as client
        on client.grouped_by = 6 and client.actor_key = p.actor_key and client.client_key = p.client_key
    left join looked_back as actor on actor.grouped_by = 7 and actor.actor_key = p.actor_key
),

-- Only the few sessions with something unseen are matched with the tenant's own blocks.
novel as (
    select u.*, u.unseen_network and o.organisation_block is null as new_network
    from unseen as u
    left join organisation as o
        on o.tenant = u.tenant and o.organisation_block = mailhound.network_block(u.client_ip)
    where u.unseen_network or u.new_client
),

-- The few sessions with something new, each looked up by its key (the limit keeps the lookup a
-- subquery: a join would read every session), and when the actor was first seen, through the
-- sessions' (tenant, actor, time) index.
judged as (
    select n.*, s.actor, s.client, history.actor_since
    from novel as n
    cross join lateral (
        select s.actor, s.client from analyst.sessions as s
        where s.tenant = n.tenant and s.session_id = n.session_id
        limit 1
    ) as s
    cross join lateral (
        select min(earlier.first_seen) as actor_since
        from analyst.sessions as earlier
        where earlier.tenant = n.tenant and lower(earlier.actor) = lower(s.actor) and earlier.first_seen < n.first_seen
    ) as history
    where n.new_network or n.new_client
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
