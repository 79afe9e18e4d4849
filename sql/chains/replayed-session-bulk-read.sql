-- id:        replayed-session-bulk-read
-- title:     Mail read in bulk through a sign-in session replayed from a distant network
-- status:    stable
-- severity:  medium   points: 60
-- finds:     Sessions with a token-replay finding (one SessionId reading mail from distant
--            networks) and a volume-outlier finding that is not routine: far more items than the
--            actor reads, through a sign-in session that was also used from elsewhere, whosever
--            the mailbox.
-- why:       Adversary-in-the-middle phishing captures the session cookie at sign-in; the intruder
--            replays it from their own infrastructure, often hours later, and downloads the mailbox
--            inside the victim's own session, from a network the victim may have used before. Each
--            finding alone is weak: one token seen from two networks is also a VPN split tunnel or
--            a carrier's far-apart blocks, and a bulk read of one's own mailbox an owner working
--            through an archive. One session doing both is the cookie's thief.
-- reads:     analyst.findings(tenant, session_id, detector_id, points, evidence),
--            analyst.sessions(tenant, session_id, actor)
-- evidence:  volume (the volume-outlier evidence), replay (the token-replay evidence)
-- reason:    Bulk read through a replayed session: {actor} read {items} items ({whose}) in sign-in
--            session {sid}, used from {networks}
-- tests:     Tests/IntegrationTests/ChainTests.swift

select
    v.tenant,
    array[v.session_id] as sessions,
    array['token-replay', 'volume-outlier'] as detectors,
    60 as points,
    format(
        'Bulk read through a replayed session: %s read %s items (%s) in sign-in session %s, used from %s',
        coalesce(s.actor, 'an unnamed identity'), v.evidence ->> 'items',
        case when (v.evidence ->> 'own_mailbox_only')::boolean then 'their own mailbox' else 'others'' mail' end,
        r.evidence ->> 'source_session_id',
        (select string_agg(network, ', ' order by network) from jsonb_array_elements_text(r.evidence -> 'networks') as network)
    ) as reason,
    jsonb_build_object('volume', v.evidence, 'replay', r.evidence) as evidence
from analyst.findings as v
join analyst.findings as r
    on r.tenant = v.tenant and r.session_id = v.session_id and r.detector_id = 'token-replay'
join analyst.sessions as s on s.tenant = v.tenant and s.session_id = v.session_id
where v.detector_id = 'volume-outlier'
    -- Not a routine session's, which volume-outlier damps to a fifth (10 points at most): the
    -- actor's own habit, not a theft.
    and v.points > 10;
