-- id:        many-mailboxes
-- title:     One session touching many mailboxes
-- status:    stable
-- severity:  medium   points: 30, plus 5 per mailbox above 3, at most 60; halved while the data is
--            too young to know the actor (cold start in the first 2 days of the tenant's data); a
--            fifth (at least 5) for a routine session (mailhound.routine: the same mailboxes from the
--            same network at the same hour on 5 or more other days, looking after it in the data's
--            first window)
-- finds:     Sessions whose actor reads or changes at least 3 mailboxes other than their own and
--            other than shared mailboxes, and more than one and a half times the most that actor
--            touched in any session of the baseline window before.
-- why:       Intruders with admin, impersonation or app rights sweep many mailboxes in one go;
--            assistants, shared-mailbox users and backup apps touch as many as they always do.
--            Comparing with the actor's maximum rather than a percentile keeps an actor's ordinary
--            variation from firing one session in ten.
-- reads:     analyst.sessions(tenant, session_id, actor, mailbox_owners, first_seen),
--            analyst.shared_mailboxes(tenant, mailbox), analyst.tenant_spans(tenant, data_from)
-- baseline:  the actor's sessions in the mailhound.baseline_days() (default 30) days before
--            (cold start: the fixed floor of 3 alone, damped when the sessions after it repeat it)
-- judges:    sessions from mailhound.judged_from()
-- routine:   a fifth of the points for a routine session (mailhound.routine); a sweep cut into
--            sessions is daily-breadth's and campaign's
-- evidence:  mailboxes, mailbox_count, shared_mailboxes, actor_max, prior_sessions, young_data,
--            routine_days, baseline_days
-- reason:    {actor} touched {n} other mailboxes in one session (most in the {d} days before: {max})
--            [; routine, as on {d} other days]
-- false-positives: help-desk admins on their first busy day
-- attack:    T1114.002
-- tests:     Tests/IntegrationTests/DetectorTests.swift

with data_start as (
    select tenant, data_from as started from analyst.tenant_spans
),

-- Other people's mailboxes the session touched; shared ones are listed apart.
breadth as (
    select
        s.tenant,
        s.session_id,
        s.actor,
        s.first_seen,
        s.client_ip,
        s.access_types,
        array(
            select o from unnest(s.mailbox_owners) as o
            where o is distinct from lower(s.actor)
                and not exists (select 1 from analyst.shared_mailboxes as sm where sm.tenant = s.tenant and sm.mailbox = o)
            order by o
        ) as others,
        array(
            select o from unnest(s.mailbox_owners) as o
            where exists (select 1 from analyst.shared_mailboxes as sm where sm.tenant = s.tenant and sm.mailbox = o)
            order by o
        ) as shared
    from analyst.sessions as s
    where cardinality(s.mailbox_owners) >= 3 and s.first_seen >= mailhound.judged_from()
),

-- Only sessions over the floor look back, through the sessions' (actor, tenant, time) index.
with_baseline as (
    select
        b.*,
        cardinality(b.others) as mailbox_count,
        history.prior_sessions,
        history.actor_max,
        history.prior_sessions < 5 and b.first_seen < d.started + interval '2 days' as young_data
    from breadth as b
    join data_start as d using (tenant)
    cross join lateral (
        select
            count(*) as prior_sessions,
            max((
                select count(*) from unnest(earlier.mailbox_owners) as o
                where o is distinct from lower(earlier.actor) and o <> all(b.shared)
            )) as actor_max
        from analyst.sessions as earlier
        where earlier.tenant = b.tenant
            and lower(earlier.actor) = lower(b.actor)
            and earlier.first_seen < b.first_seen
            and earlier.first_seen >= b.first_seen - mailhound.baseline_days() * interval '1 day'
    ) as history
    where cardinality(b.others) >= 3
),

-- Routine is asked only of the sessions that would fire.
judged as (
    select w.*, r.days as routine_days, r.routine
    from with_baseline as w
    cross join lateral mailhound.routine(w.tenant, w.actor, w.first_seen, w.client_ip, w.others, w.access_types) as r
    where w.actor_max is null or w.mailbox_count > 1.5 * w.actor_max
)

select
    tenant,
    session_id,
    'many-mailboxes' as detector_id,
    greatest(
        case when routine then 5 else 0 end,
        least(30 + 5 * (mailbox_count - 3), 60) / case when young_data then 2 else 1 end
            / case when routine then 5 else 1 end
    )::integer as points,
    format(
        '%s touched %s other mailboxes in one session (most in the %s days before: %s)%s%s',
        coalesce(actor, 'an unnamed identity'), mailbox_count, mailhound.baseline_days(),
        coalesce(actor_max::text, 'no history'),
        case when young_data then '; the data starts here, so there is no history to judge by' else '' end,
        case when routine then format('; routine, as on %s other days', routine_days) else '' end
    ) as reason,
    jsonb_build_object(
        'mailboxes', others[1:20],
        'mailbox_count', mailbox_count,
        'shared_mailboxes', shared,
        'actor_max', actor_max,
        'prior_sessions', prior_sessions,
        'young_data', young_data,
        'routine_days', routine_days,
        'baseline_days', mailhound.baseline_days()
    ) as evidence
from judged;
