-- function: mailhound.refresh_account_scores() returns bigint
-- what:     Scores the accounts again from the unsuppressed findings: each identity that acted
--           (role actor) and each mailbox read by someone other than its owner (role owner), with
--           the strongest finding of each detector across the account's sessions; every account,
--           or in an incremental detect those with a session whose findings it can have changed
--           (mailhound.score_scope()); returns the accounts scored.
-- reads:    mailhound.findings, mailhound.session_scores (each session's actor and mailboxes),
--           mailhound.score_scope()
-- writes:   mailhound.account_scores
-- callers:  detect and allow add/remove, after refresh_session_scores; prune
--
-- An account keeps its row when none of its scored sessions, before or now, is one the run judged
-- or has a finding of a detector judged whole: its row's latest session began before the first
-- judged one (a session cut again began no earlier than the judged one it is now part of), it
-- names no detector judged whole, and no such session of now is its (10M events: 0.8-0.9 s
-- scoring every account in every run). The others are deleted, and every account without a row is
-- scored.

create or replace function mailhound.refresh_account_scores() returns bigint
language plpgsql
as $$
declare
    scored bigint;
    scope record;
begin
    select * into scope from mailhound.score_scope();
    -- A delete, not a truncate: on Citus the run's transaction takes one connection a node.
    delete from mailhound.account_scores as a
    where scope.everything or coalesce(a.last_session_start >= scope.judged_from, true)
        or a.detectors && scope.judged_whole;
    if not scope.everything then
        delete from mailhound.account_scores as a
        using (
            select s.tenant, 'actor' as role, lower(coalesce(s.actor, '')) as account
            from mailhound.session_scores as s
            where s.first_seen >= scope.judged_from or s.session_id = any(scope.found_whole)
            union
            select s.tenant, 'owner', owner
            from mailhound.session_scores as s
            cross join lateral unnest(s.mailbox_owners) as owner
            where (s.first_seen >= scope.judged_from or s.session_id = any(scope.found_whole))
                and owner is distinct from lower(s.actor)
        ) as touched
        where a.tenant = touched.tenant and a.role = touched.role and a.account = touched.account;
    end if;
    insert into mailhound.account_scores (
        tenant, role, account, score, sessions, detectors, reasons, last_session_start
    )
    with session_findings as (
        select f.tenant, f.session_id, f.detector_id, f.points, f.reason, s.actor, s.mailbox_owners, s.first_seen
        from mailhound.findings as f
        join mailhound.session_scores as s using (tenant, session_id)
        where f.suppressed_by is null and f.points > 0
    ),
    every_role as (
        select tenant, 'actor' as role, lower(coalesce(actor, '')) as account, session_id, detector_id, points, reason,
            first_seen
        from session_findings
        union all
        select sf.tenant, 'owner', owner, sf.session_id, sf.detector_id, sf.points, sf.reason, sf.first_seen
        from session_findings as sf
        cross join lateral unnest(sf.mailbox_owners) as owner
        where owner is distinct from lower(sf.actor)
    ),
    -- The accounts to score: those without a row. A join, not "not exists": Citus takes no
    -- correlated subquery over a common table expression.
    roles as (
        select r.*
        from every_role as r
        left join mailhound.account_scores as a on a.tenant = r.tenant and a.role = r.role and a.account = r.account
        where a.tenant is null
    ),
    -- Each detector counts once an account, with its strongest finding, of equally strong ones the
    -- least session id's: its points, that session, then its reason, each by hashing rather than
    -- sorting every finding (30M events, an incremental run's 1,001 accounts: 0.93-1.00 s of CPU
    -- against 1.25-1.53 s).
    strongest_points as (
        select tenant, role, account, detector_id, max(points) as points
        from roles
        group by account, role, tenant, detector_id
    ),
    strongest_sessions as (
        select r.tenant, r.role, r.account, r.detector_id, min(r.session_id) as session_id
        from roles as r
        join strongest_points as p using (tenant, role, account, detector_id, points)
        group by r.account, r.role, r.tenant, r.detector_id
    ),
    strongest as (
        select r.tenant, r.role, r.account, r.detector_id, r.points, r.reason
        from strongest_sessions as p
        join roles as r using (tenant, role, account, detector_id, session_id)
    ),
    scored as (
        select
            tenant,
            role,
            account,
            mailhound.combined_score(points) as score,
            array_agg(detector_id order by points desc, detector_id) as detectors,
            array_agg(reason order by points desc, detector_id) as reasons
        from strongest
        group by account, role, tenant
    ),
    counted as (
        select tenant, role, account, count(*)::integer as sessions, max(first_seen) as last_session_start
        from (select distinct tenant, role, account, session_id, first_seen from roles) as r
        group by account, role, tenant
    )
    select sc.tenant, sc.role, sc.account, sc.score, c.sessions, sc.detectors, sc.reasons, c.last_session_start
    from scored as sc
    join counted as c using (tenant, role, account);
    get diagnostics scored = row_count;
    return scored;
end
$$;

comment on function mailhound.refresh_account_scores() is
    'Scores the accounts again (mailhound.account_scores) from the unsuppressed findings: every one, or in an incremental detect those whose sessions it judged or that detectors judged whole find; returns the accounts scored. Run by mailhound detect, allow add/remove and prune.';
