-- id:        token-replay
-- title:     One sign-in session reading mail from distant networks
-- status:    stable
-- severity:  medium   points: 40, or 15 when one client read from every network; 15 more when the
--            session read mailboxes other than the actor's own
-- finds:     Sessions built from one SessionId (the Entra token session) that read mail
--            (MailItemsAccessed) from two or more networks: autonomous systems when an IP-to-ASN
--            table is loaded (analyst.network_owners), else IPv4 /16 or IPv6 /32 blocks.
-- why:       A stolen session cookie or token is replayed from the thief's infrastructure while the
--            owner keeps using it at home: one session, two distant networks (Analyzer-Suite's
--            Suspicious-Sessions, ESCU's concurrent sessions). Moving between Wi-Fi and mobile
--            within one network block or one carrier's AS, or IPv4 beside IPv6, is not counted.
--            A cookie replayed on the thief's machine brings a client of its own; one client on
--            every network is most often one device moving (a phone from home Wi-Fi to its
--            carrier), so it weighs less, but is still shown: a thief can copy the client text too.
-- reads:     analyst.sessions(tenant, session_id, actor, source_session_id, client_ips, clients,
--            operations, mailbox_owners, first_seen, last_seen), analyst.network_owners
--            (mailhound.network_owner())
-- baseline:  none
-- judges:    sessions from mailhound.judged_from()
-- routine:   none: one token read from two distant networks is never routine
-- evidence:  networks, addresses, source_session_id, clients, one_client
-- reason:    {actor}'s sign-in session {sid} read mail from {n} distant networks: {networks}[, with one
--            client throughout (a device that moved, unless the client was copied too)]
-- false-positives: VPN split tunnels, mobile carriers with far-apart address blocks, phones moving
--            between Wi-Fi and the carrier (one client: 15 points)
-- attack:    T1550.004, T1539
-- tests:     Tests/IntegrationTests/DetectorTests.swift

with candidates as (
    select tenant, session_id, actor, source_session_id, client_ips, clients, mailbox_owners
    from analyst.sessions
    where source_session_id is not null
        and cardinality(client_ips) > 1
        and 'MailItemsAccessed' = any(operations)
        and first_seen >= mailhound.judged_from()
),

addresses as (
    select c.*, ip from candidates as c cross join lateral unnest(c.client_ips) as ip
),

-- Who routes each address, once per distinct address, when a table is loaded.
owners as (
    select a.ip, o.asn
    from (select distinct ip from addresses) as a
    cross join lateral mailhound.network_owner(a.ip) as o
    where exists (select 1 from analyst.network_owners)
),

-- Each address's network: the AS routing it when known, else its block.
placed as (
    select
        a.*,
        o.asn,
        coalesce('AS' || o.asn, network(set_masklen(a.ip, case when family(a.ip) = 4 then 16 else 32 end))::text)
            as network
    from addresses as a
    left join owners as o using (ip)
),

networks as (
    select
        tenant,
        session_id,
        min(actor) as actor,
        min(source_session_id) as source_session_id,
        -- Sessions cut before the clients were kept (null) count as two clients, as they did.
        min(clients) as clients,
        coalesce(cardinality(min(clients)) = 1, false) as one_client,
        bool_or(exists (select 1 from unnest(mailbox_owners) as owner where owner <> lower(actor))) as others,
        array_agg(distinct network) as networks,
        array_agg(distinct host(ip)) as addresses,
        greatest(
            count(distinct network) filter (where family(ip) = 4),
            count(distinct network) filter (where family(ip) = 6),
            count(distinct asn)
        ) as distant
    from placed
    group by tenant, session_id
)

select
    tenant,
    session_id,
    'token-replay' as detector_id,
    case when one_client then 15 else 40 end + case when others then 15 else 0 end as points,
    format(
        '%s''s sign-in session %s read mail from %s distant networks: %s%s',
        coalesce(actor, 'an unnamed identity'), source_session_id, distant, array_to_string(networks, ', '),
        case when one_client then ', with one client throughout (a device that moved, unless the client was copied too)' else '' end
    ) as reason,
    jsonb_build_object(
        'networks', networks, 'addresses', addresses, 'source_session_id', source_session_id, 'clients', clients,
        'one_client', one_client
    ) as evidence
from networks
where distant > 1;
