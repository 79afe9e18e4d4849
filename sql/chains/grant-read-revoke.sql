-- id:        grant-read-revoke
-- title:     Mailbox permission granted, used by the grantee, and removed again
-- status:    stable
-- severity:  critical points: 85; 92 when the grant was both given to oneself and removed
-- finds:     permission-grant findings on the grantor's session whose grantee read the target
--            within 24 hours, and whose grant was removed afterwards or given to oneself: the
--            grant session and the reading sessions form one chain.
-- why:       A compromised admin grants FullAccess, reads (or lets a throwaway account read), and
--            revokes to hide it. A grant that is then used and kept is what grants are for (a new
--            team member on a shared mailbox): it stays a permission-grant finding, not a chain.
-- reads:     analyst.findings(tenant, session_id, detector_id, evidence), analyst.sessions(tenant,
--            session_id, first_seen)
-- evidence:  grant (the grantor finding's evidence)
-- reason:    Grant then read: {grantor} granted {grantee} {rights} on {target}, read in {n} session(s)
-- tests:     Tests/IntegrationTests/ChainTests.swift

select
    f.tenant,
    array[f.session_id] || array(
        select jsonb_array_elements_text(f.evidence -> 'read_sessions')
    ) as sessions,
    array['permission-grant'] as detectors,
    case when f.evidence ->> 'revoked_at' is not null and (f.evidence ->> 'self_grant')::boolean then 92 else 85 end
        as points,
    format(
        'Grant then read: %s granted %s %s on %s, read in %s session(s)%s',
        f.evidence ->> 'grantor', f.evidence ->> 'grantee', f.evidence ->> 'rights', f.evidence ->> 'target',
        jsonb_array_length(f.evidence -> 'read_sessions'),
        case when f.evidence ->> 'revoked_at' is not null then ', then revoked' else '' end
    ) as reason,
    jsonb_build_object('grant', f.evidence) as evidence
from analyst.findings as f
where f.detector_id = 'permission-grant'
    and f.evidence ->> 'role' = 'grantor'
    and jsonb_array_length(f.evidence -> 'read_sessions') > 0
    and (f.evidence ->> 'revoked_at' is not null or (f.evidence ->> 'self_grant')::boolean);
