-- id:        slow-breadth
-- title:     One person reaching into many colleagues' mailboxes, a few at a time, over weeks
-- status:    stable
-- severity:  high     points: 45, plus 1 per mailbox above the threshold, at most 70
-- finds:     Reading sessions (MailItemsAccessed, MessageBind, FolderBind) in which a person (a user,
--            delegate or admin logon; apps and system identities have their own detectors) reads
--            another mailbox for the first time in the data, once
--            the mailboxes they first touched in the 30 days up to that session number at least
--            greatest(10, 3 x the tenant's 75th percentile of people's 30-day peak). The 75th, not a
--            higher one, so that the few people being judged cannot raise their own bar where only a
--            handful read others' mail at all.
-- why:       The low-and-slow insider, or a patient intruder holding delegate rights, never trips a
--            per-session threshold: three mailboxes a day, a few items each, in office hours. Over
--            weeks the breadth stands out: assistants and shared-mailbox teams reach one to three
--            mailboxes, always the same ones.
-- reads:     analyst.sessions(tenant, session_id, actor, actor_kind, mailbox_owners, operations,
--            first_seen)
-- baseline:  the tenant's 75th percentile of people's 30-day breadth (cold start: the floor of 10)
-- evidence:  new_mailboxes, breadth_30d, threshold
-- reason:    {actor} reached {n} colleagues' mailboxes for the first time in 30 days (threshold {t}); {m} new in this session
-- false-positives: help-desk staff, migrations (allow-list them)
-- attack:    T1114.002
-- tests:     Tests/IntegrationTests/DetectorTests.swift

with first_touch as materialized (
    select distinct on (s.tenant, lower(s.actor), o.owner)
        s.tenant, lower(s.actor) as actor_key, s.actor, o.owner, s.session_id, s.first_seen
    from analyst.sessions as s
    cross join lateral unnest(s.mailbox_owners) as o (owner)
    where s.actor_kind in ('user', 'delegate', 'admin')
        and s.actor is not null
        and s.operations && array['MailItemsAccessed', 'MessageBind', 'FolderBind']
        and o.owner is distinct from lower(s.actor)
    order by s.tenant, lower(s.actor), o.owner, s.first_seen, s.session_id
),

-- Peers of the same session share first_seen, so the range counts them all.
rolling as (
    select
        f.*,
        count(*) over (
            partition by f.tenant, f.actor_key order by f.first_seen
            range between interval '30 days' preceding and current row
        ) as breadth
    from first_touch as f
),

threshold as (
    select tenant, greatest(10, 3 * percentile_cont(0.75) within group (order by peak)) as threshold
    from (select tenant, actor_key, max(breadth) as peak from rolling group by tenant, actor_key) as peaks
    group by tenant
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
        '%s reached %s colleagues'' mailboxes for the first time in 30 days (threshold %s); %s new in this session',
        actor, breadth, round(threshold::numeric), new_mailboxes
    ) as reason,
    jsonb_build_object(
        'new_mailboxes', mailboxes, 'breadth_30d', breadth, 'threshold', threshold
    ) as evidence
from per_session;
