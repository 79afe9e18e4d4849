-- id:        new-client
-- title:     Client address or app never seen before for this actor
-- status:    stable
-- severity:  low      points: 25 for a new network (the address's /24 for IPv4, /64 for IPv6),
--            plus 10 for a new client app
-- finds:     Sessions whose client network or client app the actor never used in an earlier
--            session, for actors with sessions on a week or more of data before. A new address in a
--            network the actor already uses (office NAT pools, DHCP) is not news.
-- why:       Stolen credentials and tokens are used from the intruder's own infrastructure and
--            tools. Alone it is weak (travel, new phones); it sharpens every other finding.
-- reads:     analyst.sessions(tenant, session_id, actor, client_ip, client, first_seen)
-- baseline:  the actor's earlier sessions; no finding without a week of history (cold start: a
--            day or two shows the office or home, not both)
-- evidence:  client_ip, client, new_address, new_network, new_client, prior_sessions
-- reason:    {actor} used a new address {ip} (new network) and a new client {client}
-- false-positives: travel, new devices, ISP changes
-- attack:    T1078
-- tests:     Tests/IntegrationTests/DetectorTests.swift

with placed as (
    select
        s.tenant,
        s.session_id,
        s.actor,
        s.client_ip,
        s.client,
        s.first_seen,
        lower(s.actor) as actor_key,
        network(set_masklen(s.client_ip, case when family(s.client_ip) = 4 then 24 else 64 end)) as network
    from analyst.sessions as s
    where s.actor is not null
),

-- Each "seen before" is the earliest session of the actor with that address, network or client:
-- window minimums, so the cost grows with the sessions, not with their pairs.
judged as (
    select
        p.*,
        rank() over (partition by p.tenant, p.actor_key order by p.first_seen) - 1 as prior_sessions,
        min(p.first_seen) over (partition by p.tenant, p.actor_key) as actor_since,
        p.client_ip is not null
            and min(p.first_seen) over (partition by p.tenant, p.actor_key, p.client_ip) = p.first_seen
            as new_address,
        p.client_ip is not null
            and min(p.first_seen) over (partition by p.tenant, p.actor_key, p.network) = p.first_seen
            as new_network,
        p.client is not null
            and min(p.first_seen) over (partition by p.tenant, p.actor_key, p.client) = p.first_seen
            as new_client
    from placed as p
)

select
    tenant,
    session_id,
    'new-client' as detector_id,
    (case when new_network then 25 else 0 end + case when new_client then 10 else 0 end)::integer as points,
    format(
        '%s used %s%s',
        actor,
        case when new_network then format('a new address %s (new network)', host(client_ip)) else '' end,
        case
            when new_client and new_network then format(' and a new client %s', client)
            when new_client then format('a new client %s', client)
            else ''
        end
    ) as reason,
    jsonb_build_object(
        'client_ip', host(client_ip), 'client', client, 'new_address', new_address,
        'new_network', new_network, 'new_client', new_client, 'prior_sessions', prior_sessions
    ) as evidence
from judged
where actor_since <= first_seen - interval '7 days'
    and (new_network or new_client);
