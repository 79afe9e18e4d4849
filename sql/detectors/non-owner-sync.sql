-- id:        non-owner-sync
-- title:     Mailbox downloaded by someone other than its owner
-- status:    stable
-- severity:  high     points: 40, plus 8 per further mailbox, at most 70; a fifth of that (at
--            least 5) for routine: the same identity syncing the same mailboxes from the same
--            network at the same hour on 5 or more other days (mailhound.routine)
-- finds:     MailItemsAccessed Sync (a whole folder downloaded to a client) where the actor is not
--            the mailbox owner, or logs on as admin, delegate, app or system identity.
-- why:       Microsoft says to assume every item of a synced folder was taken. Owners syncing
--            a new phone are benign; anyone else downloading whole folders is how mail is stolen.
-- reads:     analyst.mailbox_events(tenant, session_id, operation, access_type, actor, actor_kind,
--            mailbox_owner, folders, occurred_at)
-- baseline:  the identity's like syncs in the mailhound.baseline_days() (default 30) days before
--            the session's day; in the data's first window also the days after it (cold start
--            looking both ways: a backup that starts with the data and repeats is routine)
-- judges:    sessions from mailhound.judged_from()
-- routine:   a fifth of the points for a routine session (mailhound.routine): the same mailboxes,
--            network and hour on 5 other days
-- evidence:  owners, folders_synced, folders, first_seen, last_seen, routine_days, routine_looked_ahead
-- reason:    {actor} downloaded (Sync) {n} folder(s) from {k} mailbox(es) they do not own: {owners}
--            [; routine, as on {d} other days]
-- false-positives: migration and backup tools (damped as routine; the allow-list silences them)
-- attack:    T1114.002
-- tests:     Tests/IntegrationTests/DetectorTests.swift

with non_owner_sync as (
    select
        tenant,
        session_id,
        actor,
        lower(mailbox_owner) as owner,
        folders,
        occurred_at
    from analyst.mailbox_events
    where operation = 'MailItemsAccessed'
        and access_type = 'Sync'
        and mailbox_owner is not null
        and session_id is not null
        and (
            lower(actor) is distinct from lower(mailbox_owner)
            or actor_kind in ('admin', 'delegate', 'app', 'system')
        )
        -- Every record of a judged session is at or after its start.
        and occurred_at >= mailhound.judged_from()
),

per_session as (
    select
        tenant,
        session_id,
        min(actor) as actor,
        count(distinct owner) as owner_count,
        count(*) as folders_synced,
        array_agg(distinct owner order by owner) as owners,
        array_agg(distinct folder order by folder) filter (where folder is not null) as folder_names,
        min(occurred_at) as first_seen,
        max(occurred_at) as last_seen
    from non_owner_sync
    left join lateral unnest(folders) as folder on true
    group by tenant, session_id
),

-- Each of the few sessions looked up by its key (the limit keeps the lookup a subquery: a join
-- would read every session).
judged as (
    select p.*, r.days as routine_days, r.looked_ahead, r.routine
    from per_session as p
    cross join lateral (
        select s.tenant, s.actor, s.first_seen, s.client_ip from analyst.sessions as s
        where s.tenant = p.tenant and s.session_id = p.session_id
        limit 1
    ) as s
    cross join lateral mailhound.routine(s.tenant, s.actor, s.first_seen, s.client_ip, p.owners, array['Sync']) as r
    where s.first_seen >= mailhound.judged_from()
)

select
    tenant,
    session_id,
    'non-owner-sync' as detector_id,
    case when routine then greatest(5, least(40 + 8 * (owner_count - 1), 70) / 5)
        else least(40 + 8 * (owner_count - 1), 70) end::integer as points,
    format(
        '%s downloaded (Sync) %s folder(s) from %s mailbox(es) they do not own: %s%s',
        coalesce(actor, 'an unnamed identity'), folders_synced, owner_count, array_to_string(owners[1:5], ', '),
        case when not routine then ''
            when looked_ahead then format('; routine, as on %s other days (the data starts here)', routine_days)
            else format('; routine, as on %s earlier days', routine_days) end
    ) as reason,
    jsonb_build_object(
        'owners', owners,
        'folders_synced', folders_synced,
        'folders', coalesce(folder_names, '{}'),
        'first_seen', first_seen,
        'last_seen', last_seen,
        'routine_days', routine_days,
        'routine_looked_ahead', looked_ahead
    ) as evidence
from judged;
