-- id:        new-network-bulk-read
-- title:     Mail read in bulk from a network the actor had never used
-- status:    stable
-- severity:  medium   points: 60
-- finds:     Sessions with a volume-outlier finding that is not routine and a new-client finding
--            of a new network: far more items than the actor reads, from a network none of their
--            sessions in the baseline window came from, whosever the mailbox.
-- why:       A stolen password or token (adversary-in-the-middle phishing, a replayed session
--            cookie) is used from the intruder's own infrastructure to download the victim's
--            mailbox. Each finding alone is weak and scores low for one's own mailbox: owners
--            work through their archives, travellers use new networks. Both in one session are
--            the owner not being the reader.
-- reads:     analyst.findings(tenant, session_id, detector_id, points, evidence),
--            analyst.sessions(tenant, session_id, actor)
-- evidence:  volume (the volume-outlier evidence), network (the new-client evidence)
-- reason:    Bulk read from a new network: {actor} read {items} items ({whose}) from {address}, a
--            network they had not used
-- tests:     Tests/IntegrationTests/ChainTests.swift

select
    v.tenant,
    array[v.session_id] as sessions,
    array['new-client', 'volume-outlier'] as detectors,
    60 as points,
    format(
        'Bulk read from a new network: %s read %s items (%s) from %s, a network they had not used',
        coalesce(s.actor, 'an unnamed identity'), v.evidence ->> 'items',
        case when (v.evidence ->> 'own_mailbox_only')::boolean then 'their own mailbox' else 'others'' mail' end,
        n.evidence ->> 'client_ip'
    ) as reason,
    jsonb_build_object('volume', v.evidence, 'network', n.evidence) as evidence
from analyst.findings as v
join analyst.findings as n
    on n.tenant = v.tenant and n.session_id = v.session_id and n.detector_id = 'new-client'
join analyst.sessions as s on s.tenant = v.tenant and s.session_id = v.session_id
where v.detector_id = 'volume-outlier'
    -- Not a routine session's, which volume-outlier damps to a fifth (10 points at most): the
    -- actor's own habit, not a theft.
    and v.points > 10
    and (n.evidence ->> 'new_network')::boolean;
