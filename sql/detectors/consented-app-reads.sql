-- id:        consented-app-reads
-- title:     Mail read from a new network in the week after the reader let an app read their mail
-- status:    stable
-- severity:  medium   points: 35. Several identities consenting to one app within 3 days (a
--            consent-phishing campaign, or a team adopting a tool) is said, not weighed: a team's
--            adoption of a mail app scored as high as a campaign on the outside tenants. One
--            user's consent weighs less than an admin's grant (privileged-role's 45): users let
--            mail apps in legitimately, and the app's own servers are a new network to them.
-- finds:     A consent that gives an app a delegated mail-reading scope (Mail.Read, Mail.ReadBasic,
--            Mail.ReadWrite and their .Shared forms, EWS.AccessAsUser.All, IMAP.AccessAsUser.All,
--            POP.AccessAsUser.All, full_access_as_user), then within 7 days the consenting
--            identity's sessions reading mail from a network (the autonomous system when an
--            IP-to-ASN table is loaded, else the /24 or /64 block) that none of its sessions used
--            in the baseline window before the consent.
-- why:       Consent phishing (illicit consent grant): a user is lured into granting an intruder's
--            app access to their mail, and the app then reads it with the user's own token from
--            the intruder's servers. The records name the user reading their own mailbox, through
--            Graph like any REST client, often from a cloud network other apps of the tenant use,
--            so new-client's organisation routine hides the address and the volume may be the
--            owner's own. The consent is what ties the reads to the app. app-mail-reading sees
--            app-only identities; privileged-role the application permissions an admin grants.
-- reads:     analyst.mailbox_events(tenant, session_id, operation, actor, object_id, raw,
--            occurred_at), analyst.sessions(tenant, session_id, actor, client_ips, operations,
--            items, first_seen), analyst.network_owners(range_start, range_end, asn)
-- baseline:  the consenting identity's sessions in the mailhound.baseline_days() (default 30) days
--            before the consent; without any, every network of the reads is new
-- judges:    sessions from mailhound.judged_from(), after consents from 10 days before it (7 for
--            the reads, 3 more for a campaign's other consents)
-- routine:   the networks the identity used before the consent; reads from them (an add-in or a
--            mail client on the user's own device) are not flagged
-- evidence:  app, scopes, consented_at, consent_session_id, consenters, new_networks, items
-- reason:    {actor} consented to app {app} ({scopes}) at {time}; {n} hours later, mail was read in
--            their name from {networks}, a network they had not used[; {k} identities consented to
--            that app within 3 days]
-- false-positives: a vendor's mail app a user lets in, for the week after (its servers are a new
--            network to them; allow-list the app or its network once reviewed); a user who consents to
--            a mail app and then travels within the week
-- attack:    T1528, T1550.001
-- tests:     Tests/IntegrationTests/DetectorTests.swift

with consents as (
    select *
    from (
        select
            tenant,
            session_id,
            lower(actor) as consenter,
            occurred_at as consented_at,
            -- The app's service principal: what two consents to one app share.
            coalesce(object_id, '') as app,
            (
                select string_agg(distinct m[1], ' ' order by m[1])
                from regexp_matches(
                    raw, '(Mail\.Read(?:Write)?(?:Basic)?(?:\.Shared)?|(?:EWS|IMAP|POP)\.AccessAsUser\.All|full_access_as_user)',
                    'gi') as m
            ) as scopes
        from analyst.mailbox_events
        where operation ~* '^(Consent to application|Add delegated permission grant|Add OAuth2PermissionGrant)'
            -- Lets the planner read the partial indexes of the records other than mail reads.
            and operation <> 'MailItemsAccessed'
            and actor is not null
            and occurred_at >= mailhound.judged_from() - interval '10 days'
    ) as c
    -- Consents that gave no mail scope.
    where scopes is not null
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

-- The consenter's sessions that read mail in the week after, with their addresses.
reads as (
    select distinct on (s.tenant, s.session_id)
        c.*,
        s.session_id as read_session_id,
        s.actor,
        s.items,
        s.first_seen,
        s.client_ips
    from campaign as c
    join analyst.sessions as s
        on s.tenant = c.tenant and lower(s.actor) = c.consenter
        and s.first_seen > c.consented_at and s.first_seen <= c.consented_at + interval '7 days'
    where s.first_seen >= mailhound.judged_from()
        and 'MailItemsAccessed' = any(s.operations)
    -- The latest consent before the session speaks for it.
    order by s.tenant, s.session_id, c.consented_at desc
),

-- The consenter's sessions in the baseline window before the consent, for each read.
before as (
    select r.tenant, r.read_session_id, b.client_ips
    from reads as r
    join analyst.sessions as b
        on b.tenant = r.tenant and lower(b.actor) = r.consenter
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
    -- The range of the IP-to-ASN table that holds the address, as mailhound.network_owner() finds
    -- it: written out, as Citus plans no call of a SQL function that reads a table here.
    left join lateral (
        select w.asn, w.range_end
        from analyst.network_owners as w
        where w.range_start <= a.ip and family(w.range_start) = family(a.ip)
        order by w.range_start desc
        limit 1
    ) as o on o.range_end >= a.ip
),

known as (
    select distinct b.tenant, b.read_session_id, n.network
    from before as b
    cross join lateral unnest(b.client_ips) as seen(ip)
    join networks as n using (ip)
),

-- Each read's networks that none of the consenter's sessions before the consent used.
fresh as (
    select u.tenant, u.read_session_id, array_agg(distinct n.network order by n.network) as new_networks
    from (
        select r.tenant, r.read_session_id, ip
        from reads as r
        cross join lateral unnest(r.client_ips) as ip
    ) as u
    join networks as n using (ip)
    where not exists (
        select 1 from known as k
        where k.tenant = u.tenant and k.read_session_id = u.read_session_id and k.network = n.network
    )
    group by u.tenant, u.read_session_id
)

select
    f.tenant,
    f.read_session_id as session_id,
    'consented-app-reads' as detector_id,
    35 as points,
    format(
        '%s consented to app %s (%s) at %s; %s, mail was read in their name from %s, a network they had not used%s',
        f.actor, coalesce(nullif(f.app, ''), 'unnamed'), f.scopes, mailhound.utc_text(f.consented_at),
        case h.hours when 0 then 'within the hour' when 1 then 'an hour later' else h.hours || ' hours later' end,
        array_to_string(fresh.new_networks, ', '),
        case when f.consenters >= 2 then format('; %s identities consented to that app within 3 days', f.consenters) else '' end
    ) as reason,
    jsonb_build_object(
        'app', nullif(f.app, ''), 'scopes', f.scopes, 'consented_at', f.consented_at,
        'consent_session_id', f.session_id, 'consenters', f.consenters, 'new_networks', fresh.new_networks,
        'items', f.items
    ) as evidence
from reads as f
join fresh using (tenant, read_session_id)
cross join lateral (select floor(extract(epoch from f.first_seen - f.consented_at) / 3600)::integer as hours) as h;
