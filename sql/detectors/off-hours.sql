-- id:        off-hours
-- title:     Mail read at an hour the actor never works
-- status:    stable
-- severity:  low      points: 20; 30 when the session reads mailboxes other than the actor's own
-- finds:     Sessions that read mail (items or Sync) starting in an hour of the day (UTC) in which,
--            and in the hour either side of which, none of the actor's sessions was active during
--            the baseline window before that day (a session is active in every hour from its
--            first to its last record: an Outlook session that lasts the working day makes the
--            whole day usual, not only the hour it began), and which is not one of the tenant's
--            working hours (analyst.tenant_spans.working_hours: hours in which at least half as
--            many people work as in its busiest hour), so a thin history of a few short sessions
--            does not make the rest of the office day unusual.
-- why:       Intruders work in their own time zone, and apps replaying stolen tokens run at night.
--            Usual hours are learned per actor from the data, not a fixed 9 to 5, so night-shift
--            staff and other time zones are judged against themselves.
-- reads:     analyst.actor_days(tenant, actor_key, day, sessions, start_hours, active_hours),
--            analyst.sessions(tenant, session_id, actor, first_seen, items, access_types,
--            mailbox_owners), analyst.tenant_spans(tenant, data_from, working_hours)
-- baseline:  the actor's sessions in the mailhound.baseline_days() (default 30) days before the
--            session's day, that day excluded; cold start: no finding below 10 sessions on 5 days;
--            in the data's first baseline window, with less history than that or in its first
--            week, the days after count too (a habit the data starts with is routine, a night that
--            never recurs is not), and the reason says "before and after (the data starts here)"
-- judges:    sessions from mailhound.judged_from(), reading history from mailhound.history_from()
-- routine:   the hours the actor's sessions were active in the baseline window are their routine;
--            the tenant's working hours are everyone's
-- evidence:  hour_utc, prior_sessions, prior_days, looked_ahead, sessions_after, usual_hours_utc,
--            working_hours_utc, baseline_days
-- reason:    {actor} read mail at {hh}:00 UTC; none of their {n} sessions in the {d} days before[ and after] was active within an hour of it[ (the data starts here)], outside the tenant's working hours
-- false-positives: travel, on-call nights (weak alone; it sharpens other findings)
-- attack:    T1078
-- tests:     Tests/IntegrationTests/DetectorTests.swift

-- Where each tenant's data starts, as a day number, and the hours its people work.
with data_start as (
    select
        tenant,
        (data_from at time zone 'UTC')::date - date '1970-01-01' as first_day,
        coalesce(working_hours, 0) as working_hours
    from analyst.tenant_spans
),

-- One row per actor and day, from the actors' days the run wrote (a row per address and client):
-- the hours sessions began in and the hours they were active in, as bits of 24-bit masks. A 64-bit
-- hash of the tenant and actor keys the windows below (a sort by a number, not by the tenant's
-- text); the actor's text is kept, to look up the sessions of the few unusual days by the sessions'
-- (lower(actor), tenant, first_seen) index rather than join every session back. The judged days and
-- the baseline window before them (the first day a subquery, worked out once rather than for each
-- row): in an incremental run, the new days.
by_day as (
    select
        d.tenant,
        hashtextextended(d.tenant || '|' || d.actor_key, 0) as actor_key,
        d.day - date '1970-01-01' as day,
        d.actor_key as actor_text,
        bit_or(d.start_hours) as hours,
        bit_or(d.active_hours) as active_hours,
        sum(d.sessions)::integer as sessions
    from analyst.actor_days as d
    where d.day >= (select (mailhound.history_from() at time zone 'UTC')::date)
    group by d.tenant, d.actor_key, d.day
),

baseline as (
    select
        tenant, actor_key, day, actor_text, hours,
        coalesce(bit_or(active_hours) over before, 0) as prior_hours,
        coalesce(sum(sessions) over before, 0) as prior_sessions,
        count(*) over before as prior_days
    from by_day
    window before as (
        partition by actor_key order by day
        range between mailhound.baseline_days() preceding and 1 preceding
    )
),

-- The days after, read only where a judgment may look ahead (the data's first baseline window):
-- the days of two windows hold every such day and the days after it.
later as (
    select
        b.actor_key, b.day,
        coalesce(bit_or(b.active_hours) over after, 0) as later_hours,
        coalesce(sum(b.sessions) over after, 0) as later_sessions,
        count(*) over after as later_days
    from by_day as b
    join data_start as d using (tenant)
    where b.day < d.first_day + 2 * mailhound.baseline_days()
    window after as (
        partition by b.actor_key order by b.day
        range between 1 following and mailhound.baseline_days() following
    )
),

-- In the data's first baseline window a thin history is the data's, not the actor's: the days
-- after count too there, so a habit the data starts with is known and a night that never recurs
-- is not.
known as (
    select
        b.*,
        l.later_sessions,
        d.working_hours,
        looked.ahead as looked_ahead,
        b.prior_hours | case when looked.ahead then l.later_hours else 0 end as known_hours,
        b.prior_sessions + case when looked.ahead then l.later_sessions else 0 end as known_sessions,
        b.prior_days + case when looked.ahead then l.later_days else 0 end as known_days
    from baseline as b
    join data_start as d using (tenant)
    left join later as l on l.actor_key = b.actor_key and l.day = b.day
    cross join lateral (
        select
            b.day < d.first_day + mailhound.baseline_days()
                and (b.prior_sessions < 10 or b.prior_days < 5 or b.day < d.first_day + 7) as ahead
    ) as looked
),

-- The days on which a session began in an hour the known days do not reach: its hours and the one
-- either side, wrapping at midnight. The known hours hold the hours before, so the same test on
-- those alone comes first: it is cheap and leaves few days.
unusual_days as (
    select *
    from known
    where hours & ~(prior_hours | (prior_hours << 1) | (prior_hours >> 23) | (prior_hours >> 1) | (prior_hours << 23))
            & 16777215 <> 0
        and known_sessions >= 10 and known_days >= 5
        and hours & ~(known_hours | (known_hours << 1) | (known_hours >> 23) | (known_hours >> 1) | (known_hours << 23))
            & 16777215 <> 0
),

judged as (
    select
        s.tenant, s.session_id, s.actor, s.mailbox_owners, s.hour, b.prior_sessions, b.prior_days, b.known_hours,
        b.known_sessions, b.later_sessions, b.looked_ahead, b.working_hours
    from unusual_days as b
    cross join lateral (
        select
            day_session.tenant, day_session.session_id, day_session.actor, day_session.mailbox_owners,
            date_part('hour', day_session.first_seen at time zone 'UTC')::integer as hour
        from analyst.sessions as day_session
        where day_session.tenant = b.tenant and lower(day_session.actor) = b.actor_text
            and day_session.first_seen >= (date '1970-01-01' + b.day)::timestamp at time zone 'UTC'
            and day_session.first_seen < (date '1970-01-01' + b.day + 1)::timestamp at time zone 'UTC'
            and day_session.first_seen >= mailhound.judged_from()
            and (day_session.items > 0 or 'Sync' = any(day_session.access_types))
        -- Kept a subquery (offset 0): joined, the planner would sort every session to merge them.
        offset 0
    ) as s
    -- The hour and the one either side; and not an hour the tenant's people work.
    where b.known_hours & ((1 << ((s.hour + 23) % 24)) | (1 << s.hour) | (1 << ((s.hour + 1) % 24))) = 0
        and b.working_hours & (1 << s.hour) = 0
)

select
    j.tenant,
    j.session_id,
    'off-hours' as detector_id,
    case when j.mailbox_owners <@ array[lower(j.actor)] then 20 else 30 end as points,
    format(
        '%s read mail at %s:00 UTC; none of their %s sessions in the %s days %s was active within an hour of it%s, outside the tenant''s working hours',
        j.actor, lpad(j.hour::text, 2, '0'), j.known_sessions, mailhound.baseline_days(),
        case when j.looked_ahead then 'before and after' else 'before' end,
        case when j.looked_ahead then ' (the data starts here)' else '' end
    ) as reason,
    jsonb_build_object(
        'hour_utc', j.hour, 'prior_sessions', j.prior_sessions, 'prior_days', j.prior_days,
        'looked_ahead', j.looked_ahead, 'sessions_after', case when j.looked_ahead then j.later_sessions end,
        'usual_hours_utc', array(select h from generate_series(0, 23) as h where j.known_hours & (1 << h) <> 0),
        'working_hours_utc', array(select h from generate_series(0, 23) as h where j.working_hours & (1 << h) <> 0),
        'baseline_days', mailhound.baseline_days()
    ) as evidence
from judged as j;
