-- id:        new-client
-- title:     Client address or app never seen before for this actor
-- status:    stable
-- severity:  low      points: 15 for a new address, 25 when its /24 (IPv4) or /64 (IPv6) is new too,
--            plus 10 for a new client app
-- finds:     Sessions whose client address, network or client app the actor never used in an
--            earlier session, for actors with at least one session a day or more before.
-- why:       Stolen credentials and tokens are used from the intruder's own infrastructure and
--            tools. Alone it is weak (travel, new phones); it sharpens every other finding.
-- reads:     analyst.sessions(tenant, session_id, actor, client_ip, client, first_seen)
-- baseline:  the actor's earlier sessions; no finding without a day of history (cold start)
-- evidence:  client_ip, client, new_address, new_network, new_client, prior_sessions
-- reason:    {actor} used a new address {ip} (new network) and a new client {client}
-- false-positives: travel, new devices, ISP changes
-- attack:    T1078
-- tests:     Tests/IntegrationTests/DetectorTests.swift

with judged as (
    select
        s.tenant,
        s.session_id,
        s.actor,
        s.client_ip,
        s.client,
        history.prior_sessions,
        s.client_ip is not null and not history.seen_address as new_address,
        s.client_ip is not null and not history.seen_network as new_network,
        s.client is not null and not history.seen_client as new_client
    from analyst.sessions as s
    cross join lateral (
        select
            count(*) as prior_sessions,
            coalesce(bool_or(earlier.client_ip = s.client_ip), false) as seen_address,
            coalesce(
                bool_or(
                    set_masklen(earlier.client_ip, case when family(earlier.client_ip) = 4 then 24 else 64 end)::cidr
                    >>= s.client_ip
                ),
                false
            ) as seen_network,
            coalesce(bool_or(earlier.client = s.client), false) as seen_client,
            min(earlier.first_seen) as earliest
        from analyst.sessions as earlier
        where earlier.tenant = s.tenant
            and lower(earlier.actor) = lower(s.actor)
            and earlier.first_seen < s.first_seen
    ) as history
    where history.earliest <= s.first_seen - interval '1 day'
)

select
    tenant,
    session_id,
    'new-client' as detector_id,
    (case when new_network then 25 when new_address then 15 else 0 end
        + case when new_client then 10 else 0 end)::integer as points,
    format(
        '%s used %s%s',
        actor,
        case
            when new_network then format('a new address %s (new network)', host(client_ip))
            when new_address then format('a new address %s', host(client_ip))
            else ''
        end,
        case
            when new_client and (new_address or new_network) then format(' and a new client %s', client)
            when new_client then format('a new client %s', client)
            else ''
        end
    ) as reason,
    jsonb_build_object(
        'client_ip', host(client_ip), 'client', client, 'new_address', new_address,
        'new_network', new_network, 'new_client', new_client, 'prior_sessions', prior_sessions
    ) as evidence
from judged
where new_address or new_client;
