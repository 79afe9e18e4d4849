-- id:        export-then-fetch
-- title:     Mailbox exported, the request removed, the file fetched over the web
-- status:    stable
-- severity:  critical points: 95 when fetched; 85 when removed within the hour
-- finds:     export-request findings whose export was removed by the same actor within an hour or
--            whose file was then fetched over HTTP.
-- why:       HAFNIUM exported mailboxes to aspnet_client, downloaded the PST through the web server
--            and removed the request. A migration export is neither hidden nor downloaded over OWA.
-- reads:     analyst.findings(tenant, session_id, detector_id, evidence)
-- evidence:  export (the export-request evidence)
-- reason:    Export then fetch: exported, removed the request, fetched the file from {ip}
-- tests:     Tests/IntegrationTests/ChainTests.swift

select
    tenant,
    array[session_id] as sessions,
    array['export-request'] as detectors,
    case when jsonb_array_length(evidence -> 'fetches') > 0 then 95 else 85 end as points,
    concat_ws(', ',
        'Export then fetch: exported a mailbox',
        case when evidence ->> 'removed_at' is not null then 'removed the request within the hour' end,
        case when jsonb_array_length(evidence -> 'fetches') > 0
            then 'fetched the file from ' || (evidence -> 'fetches' -> 0 ->> 'client_ip') end
    ) as reason,
    jsonb_build_object('export', evidence) as evidence
from analyst.findings
where detector_id = 'export-request'
    and (evidence ->> 'removed_at' is not null or jsonb_array_length(evidence -> 'fetches') > 0);
