-- id:        signin-new-country
-- title:     Mail read right after a sign-in from a country new to the actor
-- status:    experimental
-- severity:  high     points: 50; 60 when Entra rated the sign-in's risk medium or high
-- finds:     Sessions that read mail (MailItemsAccessed) whose actor signed in successfully (Entra
--            sign-in logs: UserLoggedIn with a country) in the two hours before the session or
--            during it, with the session's token (the same SessionId) or from one of its addresses,
--            from a country none of the actor's successful sign-ins came from in the baseline
--            window before; for actors with sign-ins on 3 or more days before.
-- why:       The textbook token theft: a phished password or a stolen session token is used from
--            the thief's country, and the mailbox is read within minutes (adversary-in-the-middle
--            phishing, Midnight Blizzard's password spraying). The sign-in log says where the token
--            was issued; the mail reads alone say only which address used it.
-- reads:     analyst.sessions(tenant, session_id, actor, source_session_id, client_ips, operations,
--            mailbox_owners, first_seen, last_seen), analyst.mailbox_events(tenant, actor, operation,
--            occurred_at, client_ip, source_session_id, parameters)
-- baseline:  the actor's successful sign-ins in the mailhound.baseline_days() (default 30) days
--            before the sign-in's day; cold start: no finding with sign-ins on fewer than 3 days
-- judges:    sessions from mailhound.judged_from(), reading sign-ins from mailhound.history_from()
-- routine:   the countries the actor signed in from in the baseline window are their routine
-- evidence:  country, city, address, signed_in_at, risk, prior_countries, prior_days
-- reason:    {actor} signed in from {country} ({city}, {address}) at {time}, a country new to them (before: {countries}), and read mail
-- false-positives: travel, a VPN exit abroad (allow-list the network)
-- attack:    T1078.004, T1550.004
-- tests:     Tests/IntegrationTests/DetectorTests.swift

with reading as (
    select tenant, session_id, actor, source_session_id, client_ips, first_seen, last_seen
    from analyst.sessions
    where 'MailItemsAccessed' = any(operations)
        and actor is not null
        and first_seen >= mailhound.judged_from()
),

sign_ins as materialized (
    select
        tenant,
        lower(actor) as actor_key,
        occurred_at,
        client_ip,
        source_session_id,
        mailhound.parameter_value(parameters, 'Country') as country,
        mailhound.parameter_value(parameters, 'City') as city,
        lower(mailhound.parameter_value(parameters, 'RiskLevelDuringSignIn')) as risk
    from analyst.mailbox_events
    where operation = 'UserLoggedIn'
        and occurred_at >= mailhound.history_from()
        and mailhound.parameter_value(parameters, 'Country') is not null
),

matched as (
    select r.tenant, r.session_id, r.actor, s.occurred_at as signed_in_at, s.country, s.city, s.risk,
        host(s.client_ip) as address
    from reading as r
    join sign_ins as s
        on s.tenant = r.tenant
        and s.actor_key = lower(r.actor)
        and s.occurred_at between r.first_seen - interval '2 hours' and r.last_seen
        and (s.source_session_id = r.source_session_id or s.client_ip = any(r.client_ips))
),

judged as (
    select m.*, b.prior_countries, b.prior_days
    from matched as m
    cross join lateral (
        select
            array_agg(distinct p.country order by p.country) as prior_countries,
            count(distinct (p.occurred_at at time zone 'UTC')::date) as prior_days
        from sign_ins as p
        where p.tenant = m.tenant
            and p.actor_key = lower(m.actor)
            and p.occurred_at >= date_trunc('day', m.signed_in_at) - mailhound.baseline_days() * interval '1 day'
            and p.occurred_at < date_trunc('day', m.signed_in_at)
    ) as b
    where b.prior_days >= 3
        and not (m.country = any(b.prior_countries))
)

select distinct on (tenant, session_id)
    tenant,
    session_id,
    'signin-new-country' as detector_id,
    case when risk in ('medium', 'high') then 60 else 50 end as points,
    format(
        '%s signed in from %s (%s, %s) at %s, a country new to them (before: %s), and read mail',
        actor, country, coalesce(city, 'city unknown'), coalesce(address, 'no address'),
        mailhound.utc_text(signed_in_at), array_to_string(prior_countries, ', ')
    ) as reason,
    jsonb_build_object(
        'country', country, 'city', city, 'address', address, 'signed_in_at', signed_in_at, 'risk', risk,
        'prior_countries', prior_countries, 'prior_days', prior_days
    ) as evidence
from judged
order by tenant, session_id, case when risk in ('medium', 'high') then 60 else 50 end desc, signed_in_at;
