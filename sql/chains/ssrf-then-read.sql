-- id:        ssrf-then-read
-- title:     Exchange exploited from an address, then mailboxes read from it
-- status:    stable
-- severity:  critical points: 95
-- finds:     Sessions with a web-exploit finding (SSRF, static-file POST, web shell from the same
--            address in the 24 hours before) and a finding of mailboxes read or exported by someone
--            other than their owners (machine-identity, non-owner-sync, many-mailboxes,
--            export-request, volume-outlier).
-- why:       ProxyLogon: unauthenticated SSRF through the front end, then the same address acting
--            as SYSTEM or as any user reads the mailboxes. Either alone is ambiguous; together they
--            are the intrusion.
-- reads:     analyst.findings(tenant, session_id, detector_id, evidence), analyst.sessions(tenant,
--            session_id, first_seen, last_seen)
-- evidence:  web (web-exploit evidence), reads (the read findings' detectors)
-- reason:    Exploit then read: {indicators} from {ip}, then {detectors} in the same session
-- tests:     Tests/IntegrationTests/ChainTests.swift

select
    f.tenant,
    array[f.session_id] as sessions,
    array['web-exploit'] || array_agg(r.detector_id order by r.detector_id) as detectors,
    95 as points,
    format(
        'Exploit then read: %s flagged web request(s) (%s) from the session''s address, then %s',
        f.evidence ->> 'requests', (select string_agg(value, ', ') from jsonb_array_elements_text(f.evidence -> 'indicators')),
        string_agg(r.detector_id, ', ' order by r.detector_id)
    ) as reason,
    jsonb_build_object('web', f.evidence, 'reads', array_agg(r.detector_id order by r.detector_id)) as evidence
from analyst.findings as f
join analyst.findings as r
    on r.tenant = f.tenant and r.session_id = f.session_id
    and r.detector_id in ('machine-identity', 'non-owner-sync', 'many-mailboxes', 'export-request', 'volume-outlier')
where f.detector_id = 'web-exploit'
    and f.evidence -> 'indicators' ?| array['ssrf-anchor', 'static-post', 'web-shell', 'oab-vdir-write']
group by f.tenant, f.session_id, f.evidence;
