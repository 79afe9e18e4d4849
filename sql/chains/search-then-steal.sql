-- id:        search-then-steal
-- title:     Someone else's mailbox searched, then read in bulk or synced
-- status:    stable
-- severity:  high     points: 80
-- finds:     search-then-read findings where the reads after the search reached 100 items or
--            synced whole folders.
-- why:       Searching a mailbox you do not own and then taking what the search found is targeted
--            theft; an assistant's search followed by a few reads is not.
-- reads:     analyst.findings(tenant, session_id, detector_id, evidence)
-- evidence:  search (the search-then-read evidence)
-- reason:    Search then steal: searched {n} mailbox(es) not their own, then read {items} items
-- tests:     Tests/IntegrationTests/ChainTests.swift

select
    tenant,
    array[session_id] as sessions,
    array['search-then-read'] as detectors,
    80 as points,
    format(
        'Search then steal: searched %s mailbox(es) not their own, then read %s items%s',
        jsonb_array_length(evidence -> 'mailboxes'), evidence ->> 'items_after',
        case when (evidence ->> 'synced_after')::boolean then ' and synced folders' else '' end
    ) as reason,
    jsonb_build_object('search', evidence) as evidence
from analyst.findings
where detector_id = 'search-then-read'
    and ((evidence ->> 'items_after')::bigint >= 100 or (evidence ->> 'synced_after')::boolean);
