-- id:        slow-breadth
-- title:     One person reaching into many colleagues' mailboxes, a few at a time, over weeks
-- status:    stable
-- severity:  high     points: 45, plus 1 per mailbox above the threshold, at most 70
-- finds:     Reading sessions (MailItemsAccessed, MessageBind, FolderBind) in which a person (a user,
--            delegate or admin logon; apps and system identities have their own detectors) reads a
--            colleague's mailbox they had not touched in the baseline window (default 30 days),
--            once the mailboxes they first touched in the window up to that session number at
--            least greatest(10, 3 x the tenant's 75th percentile of people's peak), where everyone
--            who reads mail counts (at 0 when they never touch a colleague's mailbox), so that the
--            few people being judged cannot raise their own bar. Shared mailboxes
--            (analyst.shared_mailboxes) do not count.
-- why:       The low-and-slow insider, or a patient intruder holding delegate rights, never trips a
--            per-session threshold: three mailboxes a day, a few items each, in office hours. Over
--            weeks the breadth stands out: assistants and shared-mailbox teams reach one to three
--            mailboxes, always the same ones.
-- reads:     analyst.mailbox_touches(tenant, session_id, actor, actor_key, actor_kind, operations,
--            mailbox, first_seen, touched_before), analyst.actor_days(tenant, actor_key, mail_reads),
--            analyst.tenant_spans(tenant, data_from)
-- baseline:  the person's own touches in the mailhound.baseline_days() (default 30) days before;
--            the tenant's 75th percentile of people's breadth over such windows (cold start: the
--            floor of 10; touches in the first week of the tenant's data are baseline, not new)
-- routine:   mailboxes the person touched in the baseline window are not new; weeks of reading are
--            its campaign
-- evidence:  new_mailboxes, breadth, threshold, baseline_days
-- reason:    {actor} reached {n} colleagues' mailboxes for the first time in {d} days (threshold {t}); {m} new in this session
-- false-positives: help-desk staff, migrations (allow-list them)
-- attack:    T1114.002
-- tests:     Tests/IntegrationTests/DetectorTests.swift

with data_start as (
    select tenant, data_from as started from analyst.tenant_spans
),

-- A first touch: the person had not touched that mailbox within the baseline window before, after
-- the first week of the tenant's data (before it, every mailbox is new to everyone: those touches
-- are the baseline a service account's or an assistant's later reading is judged by).
first_touch as materialized (
    select t.tenant, t.actor_key, t.actor, t.mailbox as owner, t.session_id, t.first_seen
    from analyst.mailbox_touches as t
    join data_start as d using (tenant)
    where t.actor_kind in ('user', 'delegate', 'admin')
        and t.operations && array['MailItemsAccessed', 'MessageBind', 'FolderBind']
        and (t.touched_before is null or t.touched_before < t.first_seen - mailhound.baseline_days() * interval '1 day')
        and t.first_seen >= d.started + interval '7 days'
),

-- Peers of the same session share first_seen, so the range counts them all.
rolling as (
    select
        f.*,
        count(*) over (
            partition by f.tenant, f.actor_key order by f.first_seen
            range between mailhound.baseline_days() * interval '1 day' preceding and current row
        ) as breadth
    from first_touch as f
),

-- Everyone who reads mail counts, at 0 when they never reached a colleague's mailbox: the few who
-- do must not set each other's bar. Who they are comes from the actors' days the run wrote (a
-- row per address and client a day, no more rows than the sessions and often far fewer).
threshold as (
    select people.tenant, greatest(10, 3 * percentile_cont(0.75) within group (order by coalesce(peaks.peak, 0)))
        as threshold
    from (
        select distinct tenant, actor_key from analyst.actor_days where mail_reads > 0
    ) as people
    left join (
        select tenant, actor_key, max(breadth) as peak from rolling group by tenant, actor_key
    ) as peaks using (tenant, actor_key)
    group by people.tenant
),

per_session as (
    select
        r.tenant,
        r.session_id,
        min(r.actor) as actor,
        count(*) as new_mailboxes,
        max(r.breadth) as breadth,
        t.threshold,
        array_agg(r.owner order by r.owner) as mailboxes
    from rolling as r
    join threshold as t using (tenant)
    group by r.tenant, r.session_id, t.threshold
    having max(r.breadth) >= t.threshold
)

select
    tenant,
    session_id,
    'slow-breadth' as detector_id,
    least(45 + (breadth - threshold)::integer, 70) as points,
    format(
        '%s reached %s colleagues'' mailboxes for the first time in %s days (threshold %s); %s new in this session',
        actor, breadth, mailhound.baseline_days(), round(threshold::numeric), new_mailboxes
    ) as reason,
    jsonb_build_object(
        'new_mailboxes', mailboxes, 'breadth', breadth, 'threshold', threshold,
        'baseline_days', mailhound.baseline_days()
    ) as evidence
from per_session;
