-- id:        daily-breadth
-- title:     One identity reaching many mailboxes new to it in one day
-- status:    stable
-- severity:  medium   points: 35, plus 2 per mailbox above 5, at most 60
-- finds:     Days (UTC) on which an identity touched more than 5 other people's mailboxes that it
--            had not touched in the baseline window before, and more than one and a half times the
--            most such mailboxes it reached on any day of that window. Every session of that day
--            that reached one of them gets the finding. Shared mailboxes
--            (analyst.shared_mailboxes) do not count.
-- why:       A sweep split into many short sessions (one EWS call per mailbox, a web shell run
--            mailbox by mailbox) stays under the per-session threshold of many-mailboxes; the day
--            shows it. Mailboxes the identity reads routinely are dropped (a backup app's nightly
--            run, an assistant's executives), as Sentinel drops pairs seen before, and the fixed
--            floor of 5 is ESCU's.
-- reads:     analyst.mailbox_touches(tenant, session_id, actor, actor_key, mailbox, first_seen,
--            touched_before), analyst.tenant_spans(tenant, data_from)
-- baseline:  the identity's touches and daily counts in the mailhound.baseline_days() (default 30)
--            days before the day; cold start: no finding in the first week of the tenant's data,
--            where every mailbox is new to every identity (an identity first seen later is judged
--            by the floor of 5 alone)
-- judges:    the days from mailhound.judged_from() (a UTC day's start in an incremental run),
--            reading touches from mailhound.history_from()
-- routine:   mailboxes touched in the baseline window are not new (an assistant's bosses, a
--            backup's nightly run); a sweep spread over nights is campaign's
-- evidence:  day, new_mailboxes, mailbox_count, day_max, sessions, baseline_days
-- reason:    {actor} reached {n} mailboxes new to them on {day} (most on a day in the {d} days before: {max})
-- false-positives: new help-desk staff, migrations, a new backup app's first night
-- attack:    T1114.002
-- tests:     Tests/IntegrationTests/DetectorTests.swift

with data_start as (
    select tenant, (data_from at time zone 'UTC')::date - date '1970-01-01' as first_day
    from analyst.tenant_spans
),

days as (
    select
        tenant,
        actor_key,
        day,
        min(actor) as actor,
        count(distinct mailbox) as mailbox_count,
        array_agg(distinct mailbox order by mailbox) as mailboxes,
        array_agg(distinct session_id order by session_id) as sessions
    from (
        select *, (first_seen at time zone 'UTC')::date - date '1970-01-01' as day from analyst.mailbox_touches
    ) as touches
    where (touched_before is null or touched_before < first_seen - mailhound.baseline_days() * interval '1 day')
        and first_seen >= mailhound.history_from()
    group by tenant, actor_key, day
),

judged as (
    select
        d.*,
        max(d.mailbox_count) over (
            partition by d.tenant, d.actor_key order by d.day
            range between mailhound.baseline_days() preceding and 1 preceding
        ) as day_max
    from days as d
    join data_start as s using (tenant)
    where d.day >= s.first_day + 7
)

select
    j.tenant,
    member as session_id,
    'daily-breadth' as detector_id,
    least(35 + 2 * (j.mailbox_count - 5), 60)::integer as points,
    format(
        '%s reached %s mailboxes new to them on %s (most on a day in the %s days before: %s)',
        j.actor, j.mailbox_count, date '1970-01-01' + j.day, mailhound.baseline_days(),
        coalesce(j.day_max::text, 'none')
    ) as reason,
    jsonb_build_object(
        'day', date '1970-01-01' + j.day,
        'new_mailboxes', j.mailboxes[1:20],
        'mailbox_count', j.mailbox_count,
        'day_max', j.day_max,
        'sessions', cardinality(j.sessions),
        'baseline_days', mailhound.baseline_days()
    ) as evidence
from judged as j
cross join lateral unnest(j.sessions) as member
where j.mailbox_count > 5
    and (j.day_max is null or j.mailbox_count > 1.5 * j.day_max)
    and date '1970-01-01' + j.day >= (mailhound.judged_from() at time zone 'UTC')::date;
