-- id:        many-mailboxes
-- title:     One session touching many mailboxes
-- status:    stable
-- severity:  medium   points: 30, plus 5 per mailbox above the threshold, at most 60
-- finds:     Sessions whose actor reads or changes at least 3 mailboxes other than their own, and
--            more than the 90th percentile of that actor's own earlier sessions.
-- why:       Intruders with admin, impersonation or app rights sweep many mailboxes in one go;
--            assistants and shared-mailbox users touch one or two, always the same number.
-- reads:     analyst.sessions(tenant, session_id, actor, mailbox_owners, first_seen)
-- baseline:  the actor's earlier sessions in the data (cold start: the fixed floor of 3 alone)
-- evidence:  mailboxes, mailbox_count, actor_p90, prior_sessions
-- reason:    {actor} touched {n} other mailboxes in one session (usual for them: {p90})
-- false-positives: backup and journaling apps (allow-list), help-desk admins
-- attack:    T1114.002
-- tests:     Tests/IntegrationTests/DetectorTests.swift

with breadth as (
    select
        s.tenant,
        s.session_id,
        s.actor,
        s.first_seen,
        array(select o from unnest(s.mailbox_owners) as o where o is distinct from lower(s.actor) order by o)
            as others
    from analyst.sessions as s
),

-- Only sessions over the floor look back, through the sessions' (tenant, actor, time) index.
with_baseline as (
    select
        b.*,
        cardinality(b.others) as mailbox_count,
        history.prior_sessions,
        history.actor_p90
    from breadth as b
    cross join lateral (
        select
            count(*) as prior_sessions,
            percentile_cont(0.9) within group (
                order by (select count(*) from unnest(earlier.mailbox_owners) as o where o is distinct from lower(earlier.actor))
            ) as actor_p90
        from analyst.sessions as earlier
        where earlier.tenant = b.tenant
            and lower(earlier.actor) = lower(b.actor)
            and earlier.first_seen < b.first_seen
    ) as history
    where cardinality(b.others) >= 3
)

select
    tenant,
    session_id,
    'many-mailboxes' as detector_id,
    least(30 + 5 * (mailbox_count - 3), 60)::integer as points,
    format(
        '%s touched %s other mailboxes in one session (usual for them: %s)',
        coalesce(actor, 'an unnamed identity'), mailbox_count,
        coalesce(round(actor_p90::numeric, 1)::text, 'no history')
    ) as reason,
    jsonb_build_object(
        'mailboxes', others[1:20],
        'mailbox_count', mailbox_count,
        'actor_p90', actor_p90,
        'prior_sessions', prior_sessions
    ) as evidence
from with_baseline
where actor_p90 is null or mailbox_count > actor_p90;
