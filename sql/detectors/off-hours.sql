-- id:        off-hours
-- title:     Mail read at an hour the actor never works
-- status:    stable
-- severity:  low      points: 20; 30 when the session reads mailboxes other than the actor's own
-- finds:     Sessions that read mail (items or Sync) starting in an hour of the day (UTC) in which,
--            and in the hour either side of which, the actor started no session during the
--            baseline window before that day.
-- why:       Intruders work in their own time zone, and apps replaying stolen tokens run at night.
--            Usual hours are learned per actor from the data, not a fixed 9 to 5, so night-shift
--            staff and other time zones are judged against themselves.
-- reads:     analyst.sessions(tenant, session_id, actor, first_seen, items, access_types, mailbox_owners)
-- baseline:  the actor's sessions in the mailhound.baseline_days() (default 30) days before the
--            session's day, that day excluded; cold start: no finding below 10 sessions on 5 days
-- evidence:  hour_utc, prior_sessions, prior_days, sessions_near_hour, baseline_days
-- reason:    {actor} read mail at {hh}:00 UTC; none of their {n} sessions in the {d} days before began within an hour of it
-- false-positives: travel, on-call nights (weak alone; it sharpens other findings)
-- attack:    T1078
-- tests:     Tests/IntegrationTests/DetectorTests.swift

with session_hours as (
    select
        tenant,
        session_id,
        actor,
        lower(actor) as actor_key,
        (first_seen at time zone 'UTC')::date - date '1970-01-01' as day,
        extract(hour from first_seen at time zone 'UTC')::integer as hour,
        items > 0 or 'Sync' = any(access_types) as reads_mail,
        exists (select 1 from unnest(mailbox_owners) as owner where owner <> lower(actor)) as others
    from analyst.sessions
    where actor is not null
),

hourly as (
    select tenant, actor_key, day, hour, count(*) as n
    from session_hours
    group by tenant, actor_key, day, hour
),

-- Zero rows at the hours around each reading session, so the window below yields a value there.
probes as (
    select distinct tenant, actor_key, day, (hour + shift + 24) % 24 as hour, 0::bigint as n
    from session_hours
    cross join (values (-1), (0), (1)) as shifts(shift)
    where reads_mail
),

hour_baseline as (
    select tenant, actor_key, day, hour, max(prior) as prior
    from (
        select
            tenant, actor_key, day, hour,
            sum(n) over (
                partition by tenant, actor_key, hour order by day
                range between mailhound.baseline_days() preceding and 1 preceding
            ) as prior
        from (select * from hourly union all select * from probes) as rows
    ) as windowed
    group by tenant, actor_key, day, hour
),

actor_baseline as (
    select
        tenant, actor_key, day,
        sum(n) over w as prior_sessions,
        count(*) over w as prior_days
    from (select tenant, actor_key, day, sum(n) as n from hourly group by tenant, actor_key, day) as days
    window w as (
        partition by tenant, actor_key order by day
        range between mailhound.baseline_days() preceding and 1 preceding
    )
),

judged as (
    select
        s.tenant, s.session_id, s.actor, s.hour, s.others,
        a.prior_sessions, a.prior_days,
        (
            select coalesce(sum(h.prior), 0)
            from hour_baseline as h
            where h.tenant = s.tenant and h.actor_key = s.actor_key and h.day = s.day
                and h.hour in ((s.hour + 23) % 24, s.hour, (s.hour + 1) % 24)
        ) as near_hour
    from session_hours as s
    join actor_baseline as a using (tenant, actor_key, day)
    where s.reads_mail
)

select
    tenant,
    session_id,
    'off-hours' as detector_id,
    case when others then 30 else 20 end as points,
    format(
        '%s read mail at %s:00 UTC; none of their %s sessions in the %s days before began within an hour of it',
        actor, lpad(hour::text, 2, '0'), prior_sessions, mailhound.baseline_days()
    ) as reason,
    jsonb_build_object(
        'hour_utc', hour, 'prior_sessions', prior_sessions, 'prior_days', prior_days,
        'sessions_near_hour', near_hour, 'baseline_days', mailhound.baseline_days()
    ) as evidence
from judged
where prior_sessions >= 10 and prior_days >= 5 and near_hour = 0;
