-- id:        role-then-read
-- title:     Impersonation or app mail rights given, then used to read others' mailboxes
-- status:    stable
-- severity:  critical points: 90
-- finds:     privileged-role findings whose grantee read mailboxes other than its own in the 7 days
--            after: the granting session and the grantee's reading sessions form one chain.
-- why:       ApplicationImpersonation, Mailbox Import Export or full_access_as_app exist to read
--            other people's mail; the grant followed by exactly that is the Nobelium and ProxyLogon
--            pattern.
-- reads:     analyst.findings(tenant, session_id, detector_id, evidence), analyst.sessions(tenant,
--            session_id, actor, mailbox_owners, operations, first_seen)
-- evidence:  change (the privileged-role evidence), reading_sessions
-- reason:    Rights then reads: {role} given to {grantee}, which then read others' mail in {n} session(s)
-- tests:     Tests/IntegrationTests/ChainTests.swift

-- One row a grantee: two roles given to one identity in one session are one chain, whose reason
-- does not depend on which role came first.
with grants as (
    select
        f.tenant, f.session_id, f.evidence, s.first_seen,
        lower(change ->> 'grantee') as grantee,
        string_agg(distinct change ->> 'role', ', ' order by change ->> 'role') as role
    from analyst.findings as f
    join analyst.sessions as s using (tenant, session_id)
    cross join lateral jsonb_array_elements(f.evidence -> 'changes') as change
    where f.detector_id = 'privileged-role' and (f.evidence ->> 'grantee_reads')::integer > 0
    group by f.tenant, f.session_id, f.evidence, s.first_seen, lower(change ->> 'grantee')
)

select
    g.tenant,
    array[g.session_id] || array_agg(r.session_id order by r.first_seen) filter (where r.session_id <> g.session_id)
        as sessions,
    array['privileged-role'] as detectors,
    90 as points,
    format(
        'Rights then reads: %s given to %s, which then read others'' mail in %s session(s)',
        g.role, g.grantee, count(*)
    ) as reason,
    jsonb_build_object('change', g.evidence, 'reading_sessions', array_agg(r.session_id order by r.first_seen))
        as evidence
from grants as g
join analyst.sessions as r
    on r.tenant = g.tenant
    and (lower(r.actor) = g.grantee or lower(r.actor) = 'serviceprincipal_' || g.grantee)
    and r.first_seen between g.first_seen and g.first_seen + interval '7 days'
    and 'MailItemsAccessed' = any(r.operations)
    and exists (select 1 from unnest(r.mailbox_owners) as owner where owner <> lower(r.actor))
group by g.tenant, g.session_id, g.evidence, g.role, g.grantee;
