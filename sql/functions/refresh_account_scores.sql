-- function: mailhound.refresh_account_scores() returns bigint
-- what:     Scores every account again from the unsuppressed findings: each identity that acted
--           (role actor) and each mailbox read by someone other than its owner (role owner), with
--           the strongest finding of each detector across the account's sessions; returns the
--           accounts scored.
-- reads:    mailhound.findings, mailhound.session_scores (each session's actor and mailboxes)
-- writes:   mailhound.account_scores
-- callers:  detect and allow add/remove, after refresh_session_scores; prune

create or replace function mailhound.refresh_account_scores() returns bigint
language plpgsql
as $$
declare
    scored bigint;
begin
    -- A delete, not a truncate: on Citus the run's transaction takes one connection a node.
    delete from mailhound.account_scores;
    insert into mailhound.account_scores (tenant, role, account, score, sessions, detectors, reasons)
    with session_findings as (
        select f.tenant, f.session_id, f.detector_id, f.points, f.reason, s.actor, s.mailbox_owners
        from mailhound.findings as f
        join mailhound.session_scores as s using (tenant, session_id)
        where f.suppressed_by is null and f.points > 0
    ),
    roles as (
        select tenant, 'actor' as role, lower(coalesce(actor, '')) as account, session_id, detector_id, points, reason
        from session_findings
        union all
        select sf.tenant, 'owner', owner, sf.session_id, sf.detector_id, sf.points, sf.reason
        from session_findings as sf
        cross join lateral unnest(sf.mailbox_owners) as owner
        where owner is distinct from lower(sf.actor)
    ),
    -- Each detector counts once an account, with its strongest finding.
    strongest as (
        select distinct on (tenant, role, account, detector_id) tenant, role, account, detector_id, points, reason
        from roles
        order by tenant, role, account, detector_id, points desc, session_id
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
        group by tenant, role, account
    ),
    counted as (
        select tenant, role, account, count(distinct session_id)::integer as sessions
        from roles
        group by tenant, role, account
    )
    select sc.tenant, sc.role, sc.account, sc.score, c.sessions, sc.detectors, sc.reasons
    from scored as sc
    join counted as c using (tenant, role, account);
    get diagnostics scored = row_count;
    return scored;
end
$$;

comment on function mailhound.refresh_account_scores() is
    'Scores every account again (mailhound.account_scores) from the unsuppressed findings; returns the accounts scored. Run by mailhound detect, allow add/remove and prune.';
