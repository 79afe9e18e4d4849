-- id:        consented-app-reads
-- title:     Mail read in the week after the reader let an app read their mail: by that app, or
--            from a new network
-- status:    stable
-- severity:  medium   points: 35; 15 when, after a consent for all users, the app read for more
--            than five identities from the network that week (an admin's rollout of a vendor's app
--            does that; with 35 each, its users outranked a phishing victim among the accounts of
--            simulate's quiet family). Several identities consenting to one app within 3 days (a
--            consent-phishing campaign, or a team adopting a tool) is said, not weighed: a team's
--            adoption of a mail app scored as high as a campaign on the outside tenants. One
--            user's consent weighs less than an admin's grant (privileged-role's 45): users let
--            mail apps in legitimately, and the app's own servers are a new network to them.
-- finds:     A consent that gives an app a delegated mail-reading scope (Mail.Read, Mail.ReadBasic,
--            Mail.ReadWrite and their .Shared forms, EWS.AccessAsUser.All, IMAP.AccessAsUser.All,
--            POP.AccessAsUser.All, full_access_as_user), then within 7 days the consenting
--            identity's sessions reading mail either from a network (the autonomous system when an
--            IP-to-ASN table is loaded, else the /24 or /64 block) that none of its sessions used
--            in the baseline window before the consent, or with records that name the app (their
--            ClientAppId or AppId is the consent's service principal or application id) from a
--            network its sessions had used on fewer than two days of that window. After an admin's
--            consent on behalf of all users (ConsentType AllPrincipals), also any user's sessions
--            whose records name the app, each judged by that user's own networks; the first five
--            users it reads for from a network stand for the rest.
-- why:       Consent phishing (illicit consent grant): a user is lured into granting an intruder's
--            app access to their mail, and the app then reads it with the user's own token from
--            the intruder's servers. The records name the user reading their own mailbox, through
--            Graph like any REST client, often from a cloud network other apps of the tenant use,
--            so new-client's organisation routine hides the address and the volume may be the
--            owner's own. The consent is what ties the reads to the app, and the reads' ClientAppId
--            names it even where the intruder's server is an address the user once used. An
--            admin lured into consenting for everyone lets the app read any user who signs in to
--            it, with no prompt of their own.
--            app-mail-reading sees app-only identities; privileged-role the application
--            permissions an admin grants.
-- reads:     analyst.mail_app_consents(tenant, session_id, actor, occurred_at, service_principal,
--            scopes, app_ids, for_all_users), analyst.sessions(tenant, session_id, actor,
--            client_ips, operations, items, first_seen), analyst.consented_app_sessions(tenant,
--            session_id, consent_record_id), analyst.network_owners (mailhound.network_owner())
-- baseline:  the reading identity's sessions (the consenter's, or after a consent for all users any
--            user's) in the mailhound.baseline_days() (default 30) days before the consent; without
--            any, every network of the reads is new
-- judges:    sessions from mailhound.judged_from(), after consents from 10 days before it (7 for
--            the reads, 3 more for a campaign's other consents)
-- routine:   the networks the identity used on two or more days before the consent; reads from
--            them (an add-in or a mail client on the user's own device, even one that names the
--            app) are not flagged, nor are reads that do not name the app from a network used once
-- evidence:  app, app_ids, read_by_app, scopes, consenter, for_all_users, consented_at,
--            consent_session_id, consenters, new_networks (the networks not routine when none is
--            new), used_before (none is new), items, readers (the identities the app read for from
--            such a network that week)
-- reason:    {consenter} consented to app {app} ({scopes})[ for all users] at {time}; {n} hours
--            later, {that app read mail | mail was read} in {their | reader's} name from {networks},
--            a network they had not used[ on more than one day][; that week it read the mail of {r}
--            identities from there][; {k} identities consented to that app within 3 days]
-- false-positives: a vendor's mail app a user lets in, for the week after (its servers are a new
--            network to them; allow-list the app or its network once reviewed); a user who consents to
--            a mail app and then travels within the week; a mail app an admin lets in for everyone,
--            for each of the first five users it reads for from each network in that week
-- attack:    T1528, T1550.001
-- tests:     Tests/IntegrationTests/DetectorTests.swift

with consents as (
    select
        tenant,
        record_id,
        session_id,
        actor as consenter_name,
        lower(actor) as consenter,
        occurred_at as consented_at,
        -- What two consents to one app share.
        coalesce(service_principal, '') as app,
        scopes,
        app_ids,
        for_all_users
    from analyst.mail_app_consents
    where actor is not null
        and occurred_at >= mailhound.judged_from() - interval '10 days'
),

-- How many identities consented to the same app within 3 days of each consent.
campaign as (
    select
        c.*,
        (
            select count(distinct o.consenter)
            from consents as o
            where o.tenant = c.tenant and o.app = c.app and c.app <> ''
                and o.consented_at between c.consented_at - interval '3 days' and c.consented_at + interval '3 days'
        ) as consenters
    from consents as c
),

-- The sessions whose records name a consented app, of the consents above, read once: after a
-- consent for all users that probes every session of the week.
app_sessions as (
    select tenant, session_id, consent_record_id
    from analyst.consented_app_sessions
    where consented_at >= mailhound.judged_from() - interval '10 days'
),

-- The sessions that read mail in the week after each consent, with their addresses: the
-- consenter's, and after a consent for all users the app's own in any user's name.
candidates as (
    select
        c.*,
        s.session_id as read_session_id,
        s.actor,
        lower(s.actor) as reader,
        s.items,
        s.first_seen,
        s.client_ips
    from campaign as c
    join analyst.sessions as s
        on s.tenant = c.tenant and lower(s.actor) = c.consenter
        and s.first_seen > c.consented_at and s.first_seen <= c.consented_at + interval '7 days'
    where 'MailItemsAccessed' = any(s.operations)
    union
    select c.*, s.session_id, s.actor, lower(s.actor), s.items, s.first_seen, s.client_ips
    from campaign as c
    join app_sessions as n on n.tenant = c.tenant and n.consent_record_id = c.record_id
    join analyst.sessions as s on s.tenant = n.tenant and s.session_id = n.session_id
    where c.for_all_users and 'MailItemsAccessed' = any(s.operations)
),

-- Each session once: the consent of the app it names speaks for it, else the latest before it.
reads as (
    select distinct on (p.tenant, p.read_session_id)
        p.*,
        n.session_id is not null as by_app
    from candidates as p
    left join app_sessions as n
        on n.tenant = p.tenant and n.session_id = p.read_session_id and n.consent_record_id = p.record_id
    order by p.tenant, p.read_session_id, by_app desc, p.consented_at desc
),

-- The reader's sessions in the baseline window before the consent, for each read.
before as (
    select r.tenant, r.read_session_id, b.client_ips, b.first_seen
    from reads as r
    join analyst.sessions as b
        on b.tenant = r.tenant and lower(b.actor) = r.reader
        and b.first_seen >= r.consented_at - mailhound.baseline_days() * interval '1 day'
        and b.first_seen < r.consented_at
),

-- Each address of the reads and of the sessions before them, once.
addresses as (
    select distinct ip
    from (
        select unnest(client_ips) as ip from reads
        union all
        select unnest(client_ips) from before
    ) as a
),

-- Each address's network: the AS routing it when a table is loaded, else its block.
networks as (
    select a.ip, coalesce('AS' || o.asn, mailhound.network_block(a.ip)::text) as network
    from addresses as a
    left join lateral mailhound.network_owner(a.ip) as o on true
),

-- The networks the reader's sessions used before the consent, and on how many days.
known as (
    select b.tenant, b.read_session_id, n.network, count(distinct b.first_seen::date) as days
    from before as b
    cross join lateral unnest(b.client_ips) as seen(ip)
    join networks as n using (ip)
    group by b.tenant, b.read_session_id, n.network
),

-- Each read's networks: those none of the reader's sessions used before the consent (new), and
-- those used on fewer than two days (not their routine: a network the app's reads come from).
judged as (
    select
        u.tenant,
        u.read_session_id,
        array_agg(distinct n.network order by n.network) filter (where k.days is null) as new_networks,
        array_agg(distinct n.network order by n.network) filter (where coalesce(k.days, 0) < 2) as unroutine_networks
    from (
        select r.tenant, r.read_session_id, ip
        from reads as r
        cross join lateral unnest(r.client_ips) as ip
    ) as u
    join networks as n using (ip)
    left join known as k
        on k.tenant = u.tenant and k.read_session_id = u.read_session_id and k.network = n.network
    group by u.tenant, u.read_session_id
),

-- The networks each read is judged by: those not routine for the app's own reads, else the new
-- ones.
flagged as (
    select r.*, judged_by.networks, j.new_networks is null as used_before
    from reads as r
    join judged as j using (tenant, read_session_id)
    cross join lateral (
        select case when r.by_app then j.unroutine_networks else j.new_networks end as networks
    ) as judged_by
    where judged_by.networks is not null
),

-- One consent's reads of one identity's mail from one network are one fact: the first session
-- that reads from it speaks for the rest, as an app that keeps reading for the week would
-- otherwise weigh once a session.
firsts as (
    select distinct on (f.tenant, f.reader, f.consenter, f.consented_at, network)
        f.tenant, f.read_session_id, f.reader, f.consenter, f.consented_at, network, f.first_seen
    from flagged as f
    cross join lateral unnest(f.networks) as network
    order by f.tenant, f.reader, f.consenter, f.consented_at, network, f.first_seen, f.read_session_id
),

-- After a consent for all users, the first five identities the app read for from a network speak
-- for the rest, which the reason counts: a mail app an admin lets in for everyone may read for
-- thousands in its first week, and a finding each would bury everything else. Reading for more
-- than five is what such a rollout does, and weighs less (below).
representatives as (
    select tenant, read_session_id, max(readers) as readers
    from (
        select
            o.tenant,
            o.read_session_id,
            row_number() over (
                partition by o.tenant, o.consenter, o.consented_at, o.network order by o.first_seen, o.reader
            ) as place,
            count(*) over (partition by o.tenant, o.consenter, o.consented_at, o.network) as readers
        from firsts as o
    ) as placed
    where place <= 5
    group by tenant, read_session_id
)

select
    f.tenant,
    f.read_session_id as session_id,
    'consented-app-reads' as detector_id,
    case when r.readers > 5 then 15 else 35 end as points,
    format(
        '%s consented to app %s (%s)%s at %s; %s, %s in %s name from %s, a network they had not used%s%s%s',
        f.consenter_name, coalesce(nullif(f.app, ''), 'unnamed'), f.scopes,
        case when f.for_all_users then ' for all users' else '' end, mailhound.utc_text(f.consented_at),
        case h.hours when 0 then 'within the hour' when 1 then 'an hour later' else h.hours || ' hours later' end,
        case when f.by_app then 'that app read mail' else 'mail was read' end,
        case when f.reader = f.consenter then 'their' else f.actor || '''s' end,
        array_to_string(f.networks, ', '),
        case when f.used_before then ' on more than one day' else '' end,
        case when r.readers >= 2 then format('; that week it read the mail of %s identities from there', r.readers) else '' end,
        case when f.consenters >= 2 then format('; %s identities consented to that app within 3 days', f.consenters) else '' end
    ) as reason,
    jsonb_build_object(
        'app', nullif(f.app, ''), 'app_ids', f.app_ids, 'read_by_app', f.by_app, 'scopes', f.scopes,
        'consenter', f.consenter_name, 'for_all_users', f.for_all_users,
        'consented_at', f.consented_at, 'consent_session_id', f.session_id, 'consenters', f.consenters,
        'new_networks', f.networks, 'used_before', f.used_before, 'items', f.items, 'readers', r.readers
    ) as evidence
from flagged as f
join representatives as r using (tenant, read_session_id)
cross join lateral (select floor(extract(epoch from f.first_seen - f.consented_at) / 3600)::integer as hours) as h
where f.first_seen >= mailhound.judged_from();
