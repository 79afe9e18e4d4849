-- id:        machine-identity
-- title:     Mailbox access by a system or app-only identity
-- status:    stable
-- severity:  medium   points: 45 for system identities, 25 for app-only principals; 10 for an
--            identity that read mailboxes on 3 or more days of the baseline window, or whose
--            session is routine (mailhound.routine: also looking after it in the data's first window)
-- finds:     Mailbox reads and changes by NT AUTHORITY\SYSTEM, S-1-5-18 and other system logons,
--            or by an application with no user (app-only token, service principal).
-- why:       ProxyLogon web shells act as SYSTEM; stolen app secrets with full_access_as_app read
--            any mailbox. Legitimate ones (backup, journaling) do it every day: their routine keeps
--            a low weight, and the allow-list silences them.
-- reads:     analyst.mailbox_events(tenant, session_id, actor, actor_kind, mailbox_owner, record_type,
--            operation, app_id, client_app_id)
-- baseline:  the days (UTC) on which the identity read mailboxes in the
--            mailhound.baseline_days() (default 30) days before this session's day; like sessions
--            before it, or in the data's first window after it (cold start looking both ways)
-- judges:    sessions from mailhound.judged_from()
-- routine:   weak after 3 earlier active days or for a routine session (mailhound.routine)
-- evidence:  kind, mailboxes, operations, apps, earlier_days, routine_days (null where not looked up:
--            with 3 or more earlier days)
-- reason:    {kind} identity {actor} accessed {n} mailbox(es): {owners}
-- false-positives: backup, archiving and journaling services
-- attack:    T1078, T1114.002
-- tests:     Tests/IntegrationTests/DetectorTests.swift

with machine_access as (
    select
        tenant,
        session_id,
        actor,
        actor_kind,
        lower(mailbox_owner) as owner,
        operation,
        coalesce(nullif(client_app_id, ''), app_id) as app
    from analyst.mailbox_events
    where actor_kind in ('system', 'app')
        and mailbox_owner is not null
        and session_id is not null
        -- Every record of a judged session is at or after its start.
        and occurred_at >= mailhound.judged_from()
),

per_session as (
    select
        tenant,
        session_id,
        min(actor) as actor,
        min(actor_kind) as kind,
        array_agg(distinct owner order by owner) as owners,
        array_agg(distinct operation order by operation) as operations,
        array_agg(distinct app order by app) filter (where app is not null) as apps
    from machine_access
    group by tenant, session_id
),

judged as (
    select
        p.*, lower(s.actor) as actor_key, (s.first_seen at time zone 'UTC')::date - date '1970-01-01' as day,
        s.actor as session_actor, s.first_seen, s.client_ip, s.access_types
    from per_session as p
    join analyst.sessions as s using (tenant, session_id)
    where s.first_seen >= mailhound.judged_from()
),

-- The days (UTC) on which those identities touched mailboxes, through the sessions' (tenant,
-- actor, time) index: a few rows per identity, however many sessions it runs a day.
active_days as (
    select distinct
        a.tenant, a.actor_key, (earlier.first_seen at time zone 'UTC')::date - date '1970-01-01' as day
    from (select distinct tenant, actor_key from judged) as a
    join analyst.sessions as earlier on earlier.tenant = a.tenant and lower(earlier.actor) = a.actor_key
    where earlier.first_seen >= mailhound.history_from() and cardinality(earlier.mailbox_owners) > 0
),

-- For each judged day, the active days in the baseline window before it.
day_history as (
    select
        tenant, actor_key, day,
        count(*) filter (where active) over (
            partition by tenant, actor_key order by day
            range between mailhound.baseline_days() preceding and 1 preceding
        ) as earlier_days
    from (
        select tenant, actor_key, day, bool_or(active) as active
        from (
            select tenant, actor_key, day, true as active from active_days
            union all
            select tenant, actor_key, day, false from judged
        ) as both_kinds
        group by tenant, actor_key, day
    ) as days
),

with_history as (
    select j.*, coalesce(h.earlier_days, 0) as earlier_days
    from judged as j
    left join day_history as h using (tenant, actor_key, day)
),

-- Routine is looked up only where it can change the points: 3 earlier active days already make a
-- session weak, and a busy app's thousands of sessions a day each cost a look-up otherwise. The
-- offset keeps the look-up a subquery of its own, so the condition gates it once a session.
verdicts as (
    select h.*, r.days as routine_days, coalesce(r.routine, false) as routine
    from with_history as h
    left join lateral (
        select r.days, r.routine
        from mailhound.routine(h.tenant, h.session_actor, h.first_seen, h.client_ip, h.owners, h.access_types) as r
        where h.earlier_days < 3
        offset 0
    ) as r on true
)

select
    tenant,
    session_id,
    'machine-identity' as detector_id,
    case when earlier_days >= 3 or routine then 10 when kind = 'system' then 45 else 25 end as points,
    format(
        '%s identity %s accessed %s mailbox(es): %s%s',
        case when kind = 'system' then 'System' else 'App-only' end,
        coalesce(actor, apps[1], 'unnamed'), cardinality(owners), array_to_string(owners[1:5], ', '),
        case when earlier_days >= 3 then format(' (as on %s earlier days)', earlier_days)
            when routine then format(' (routine: as on %s other days; the data starts here)', routine_days)
            else '' end
    ) as reason,
    jsonb_build_object(
        'kind', kind, 'mailboxes', owners, 'operations', operations, 'apps', coalesce(apps, '{}'),
        'earlier_days', earlier_days, 'routine_days', routine_days
    ) as evidence
from verdicts;
