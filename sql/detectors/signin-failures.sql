-- id:        signin-failures
-- title:     Failed sign-ins, then mail read from an address new to the actor
-- status:    experimental
-- severity:  medium   points: 40; 50 when the failures came from the address that then read mail
-- finds:     Sessions that read mail (MailItemsAccessed) from an address the actor used in none of
--            their sessions of the baseline window, preceded by 5 or more failed sign-ins of the
--            actor (Entra sign-in logs: UserLoginFailed) in the two hours before the session.
-- why:       Password spraying and guessing that finally succeeds: a burst of failures, then the
--            first mail read from the intruder's address. A user who mistypes at home and reads
--            from the office they always use is not news.
-- reads:     analyst.sessions(tenant, session_id, actor, client_ips, operations, first_seen),
--            analyst.mailbox_events(tenant, actor, operation, occurred_at, client_ip)
-- baseline:  the actor's sessions in the mailhound.baseline_days() (default 30) days before the
--            burst; an actor with no session before has no usual address to compare with
-- judges:    sessions from mailhound.judged_from(), reading failures and sessions from mailhound.history_from()
-- routine:   the addresses of the actor's baseline sessions are their routine
-- evidence:  failures, failure_addresses, first_failure, last_failure, new_addresses, prior_sessions
-- reason:    {actor} failed {n} sign-ins between {t1} and {t2}, then read mail from {addresses}, new to them
-- false-positives: a user locked out on a new device or network who then signs in right
-- attack:    T1110.003, T1110.001
-- tests:     Tests/IntegrationTests/DetectorTests.swift

with reading as (
    select tenant, session_id, actor, client_ips, first_seen
    from analyst.sessions
    where 'MailItemsAccessed' = any(operations)
        and actor is not null
        and first_seen >= mailhound.judged_from()
),

failures as materialized (
    select tenant, lower(actor) as actor_key, occurred_at, client_ip
    from analyst.mailbox_events
    where operation = 'UserLoginFailed'
        and occurred_at >= mailhound.history_from()
),

-- A join on the actor, not a lookup for each reading session: the sessions of actors without
-- failures cost a hash probe each, and none at all when no failure is logged.
bursts as (
    select
        r.tenant, r.session_id, r.actor, r.client_ips, r.first_seen,
        count(*) as failures,
        array_agg(distinct f.client_ip) filter (where f.client_ip is not null) as failure_addresses,
        min(f.occurred_at) as first_failure,
        max(f.occurred_at) as last_failure
    from reading as r
    join failures as f
        on f.tenant = r.tenant
        and f.actor_key = lower(r.actor)
        and f.occurred_at between r.first_seen - interval '2 hours' and r.first_seen
    group by r.tenant, r.session_id, r.actor, r.client_ips, r.first_seen
    having count(*) >= 5
),

judged as (
    select b.*, n.new_addresses, n.prior_sessions
    from bursts as b
    cross join lateral (
        select
            array_agg(distinct ip) filter (where not coalesce(ip = any(p.known), false)) as new_addresses,
            max(p.sessions) as prior_sessions
        from unnest(b.client_ips) as ip
        cross join (
            select array_agg(distinct known_ip) as known, count(distinct s.session_id) as sessions
            from analyst.sessions as s
            cross join lateral unnest(s.client_ips) as known_ip
            where s.tenant = b.tenant
                and lower(s.actor) = lower(b.actor)
                and s.first_seen >= b.first_failure - mailhound.baseline_days() * interval '1 day'
                and s.first_seen < b.first_failure
        ) as p
    ) as n
    where n.prior_sessions > 0
        and cardinality(n.new_addresses) > 0
)

select
    tenant,
    session_id,
    'signin-failures' as detector_id,
    case when failure_addresses && new_addresses then 50 else 40 end as points,
    format(
        '%s failed %s sign-ins between %s and %s, then read mail from %s, new to them',
        actor, failures, mailhound.utc_text(first_failure), mailhound.utc_text(last_failure),
        array_to_string(array(select host(a) from unnest(new_addresses) as a), ', ')
    ) as reason,
    jsonb_build_object(
        'failures', failures,
        'failure_addresses', array(select host(a) from unnest(failure_addresses) as a),
        'first_failure', first_failure,
        'last_failure', last_failure,
        'new_addresses', array(select host(a) from unnest(new_addresses) as a),
        'prior_sessions', prior_sessions
    ) as evidence
from judged;
