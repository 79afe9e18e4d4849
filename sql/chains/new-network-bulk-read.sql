-- id:        new-network-bulk-read
-- title:     Mail read in bulk from a network new to the actor or to its sign-in session
-- status:    stable
-- severity:  medium   points: 60
-- finds:     Sessions with a volume-outlier finding that is not routine and either a new-client
--            finding of a new network (none of the actor's sessions in the baseline window came
--            from it) or a token-replay finding (the session's SessionId read mail from distant
--            networks): far more items than the actor reads, from somewhere the actor or the
--            sign-in had not been, whosever the mailbox.
-- why:       A stolen password or token (adversary-in-the-middle phishing, a replayed session
--            cookie) is used from the intruder's own infrastructure to download the victim's
--            mailbox. A replayed cookie joins the victim's own session, from a network the victim
--            may even have used before: the session, not the actor, is then what the network is
--            new to. Each finding alone is weak and scores low for one's own mailbox: owners work
--            through their archives, travellers use new networks, phones move from Wi-Fi to the
--            carrier within one sign-in. Both in one session are the owner not being the reader.
-- reads:     analyst.findings(tenant, session_id, detector_id, points, evidence),
--            analyst.sessions(tenant, session_id, actor)
-- evidence:  volume (the volume-outlier evidence), network (the new-client evidence, when the
--            network is new to the actor), replay (the token-replay evidence, when the session
--            was replayed)
-- reason:    Bulk read from a new network: {actor} read {items} items ({whose}) from {address}, a
--            network they had not used | in sign-in session {sid}, also used from {networks}
-- tests:     Tests/IntegrationTests/ChainTests.swift

select
    v.tenant,
    array[v.session_id] as sessions,
    array_remove(
        array[
            case when n.session_id is not null then 'new-client' end,
            case when r.session_id is not null then 'token-replay' end,
            'volume-outlier'
        ],
        null
    ) as detectors,
    60 as points,
    format(
        'Bulk read from a new network: %s read %s items (%s) %s',
        coalesce(s.actor, 'an unnamed identity'), v.evidence ->> 'items',
        case when (v.evidence ->> 'own_mailbox_only')::boolean then 'their own mailbox' else 'others'' mail' end,
        case
            when n.session_id is not null then
                format('from %s, a network they had not used', n.evidence ->> 'client_ip')
            else
                format(
                    'in sign-in session %s, also used from %s', r.evidence ->> 'source_session_id',
                    (
                        select string_agg(network, ', ' order by network)
                        from jsonb_array_elements_text(r.evidence -> 'networks') as network
                    )
                )
        end
    ) as reason,
    jsonb_build_object('volume', v.evidence)
        || case when n.session_id is not null then jsonb_build_object('network', n.evidence) else '{}' end
        || case when r.session_id is not null then jsonb_build_object('replay', r.evidence) else '{}' end
        as evidence
from analyst.findings as v
left join analyst.findings as n
    on n.tenant = v.tenant and n.session_id = v.session_id and n.detector_id = 'new-client'
        and (n.evidence ->> 'new_network')::boolean
left join analyst.findings as r
    on r.tenant = v.tenant and r.session_id = v.session_id and r.detector_id = 'token-replay'
join analyst.sessions as s on s.tenant = v.tenant and s.session_id = v.session_id
where v.detector_id = 'volume-outlier'
    -- Not a routine session's, which volume-outlier damps to a fifth (10 points at most): the
    -- actor's own habit, not a theft.
    and v.points > 10
    and (n.session_id is not null or r.session_id is not null);
