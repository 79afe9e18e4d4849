-- id:        volume-outlier
-- title:     Far more mail read than the actor and the tenant usually read
-- status:    stable
-- severity:  medium   points: 35, or 50 above three times the tenant's 99th percentile; 25 when
--            the actor read only their own mailbox; halved while the data is too young to know the
--            actor (cold start in the first 2 days of the tenant's data)
-- finds:     Sessions that read at least 50 items, more than the tenant's 99th percentile of session
--            items, and (with 5 or more sessions in the baseline window) more than the actor's
--            median plus 5 robust standard deviations (1.4826 x MAD) of those sessions.
-- why:       Bulk reading is the theft itself. Robust statistics over the data's own history adapt to
--            heavy and light users alike, where fixed numbers flag either everyone or no one.
-- reads:     analyst.sessions(tenant, session_id, actor, items, bytes, first_seen)
-- baseline:  tenant p99 of session items over the whole data (one session among thousands
--            cannot move it, and an old incident replays against it); the actor's sessions in the
--            mailhound.baseline_days() (default 30) days before (median, MAD)
-- judges:    sessions from mailhound.judged_from()
-- evidence:  items, bytes, tenant_p99, actor_median, actor_mad, prior_sessions, own_mailbox_only,
--            young_data, baseline_days
-- reason:    {actor} read {items} items in one session (tenant p99 {p99}, their median {median})
-- false-positives: owners re-indexing a new device (mostly Sync, which lists no items), owners
--            working through their own archive
-- attack:    T1114
-- tests:     Tests/IntegrationTests/DetectorTests.swift

with tenant_baseline as (
    select
        tenant,
        percentile_cont(0.99) within group (order by items) filter (where items > 0) as tenant_p99,
        min(first_seen) as data_start
    from analyst.sessions
    group by tenant
),

candidates as (
    select
        s.tenant, s.session_id, s.actor, s.items, s.bytes, s.first_seen, t.tenant_p99, t.data_start,
        s.mailbox_owners <@ array[lower(s.actor)] as own_mailbox_only
    from analyst.sessions as s
    join tenant_baseline as t using (tenant)
    where s.items >= 50 and s.items > t.tenant_p99 and s.first_seen >= mailhound.judged_from()
),

with_actor as (
    select
        c.*,
        history.prior_sessions,
        history.actor_median,
        history.prior_sessions < 5 and c.first_seen < c.data_start + interval '2 days' as young_data,
        (
            select percentile_cont(0.5) within group (order by abs(earlier.items - history.actor_median))
            from analyst.sessions as earlier
            where earlier.tenant = c.tenant
                and lower(earlier.actor) = lower(c.actor)
                and earlier.first_seen < c.first_seen
                and earlier.first_seen >= c.first_seen - mailhound.baseline_days() * interval '1 day'
        ) as actor_mad
    from candidates as c
    cross join lateral (
        select count(*) as prior_sessions, percentile_cont(0.5) within group (order by earlier.items) as actor_median
        from analyst.sessions as earlier
        where earlier.tenant = c.tenant
            and lower(earlier.actor) = lower(c.actor)
            and earlier.first_seen < c.first_seen
            and earlier.first_seen >= c.first_seen - mailhound.baseline_days() * interval '1 day'
    ) as history
)

select
    tenant,
    session_id,
    'volume-outlier' as detector_id,
    (case when own_mailbox_only then 25 when items > 3 * tenant_p99 then 50 else 35 end
        / case when young_data then 2 else 1 end
    )::integer as points,
    format(
        '%s read %s items in one session%s (tenant p99 %s, their median %s)%s',
        coalesce(actor, 'an unnamed identity'), items,
        case when own_mailbox_only then ' of their own mailbox' else '' end, round(tenant_p99::numeric),
        coalesce(round(actor_median::numeric)::text, 'unknown'),
        case when young_data then '; the data starts here, so there is no history to judge by' else '' end
    ) as reason,
    jsonb_build_object(
        'items', items,
        'bytes', bytes,
        'tenant_p99', tenant_p99,
        'actor_median', actor_median,
        'actor_mad', actor_mad,
        'prior_sessions', prior_sessions,
        'own_mailbox_only', own_mailbox_only,
        'young_data', young_data,
        'baseline_days', mailhound.baseline_days()
    ) as evidence
from with_actor
where prior_sessions < 5
    or items > actor_median + 5 * greatest(1.4826 * actor_mad, 1);
