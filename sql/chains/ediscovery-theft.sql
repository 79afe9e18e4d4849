-- id:        ediscovery-theft
-- title:     Compliance search created, exported and downloaded, with a sign of theft
-- status:    stable
-- severity:  critical points: 85; 92 with two or more signs
-- finds:     ediscovery-export findings whose searches were both exported and downloaded, in one
--            session or across several, with a sign of theft: a search over all mailboxes or a
--            download from a network the actor had not used; or two weaker ones: the actor's first
--            eDiscovery in 90 days, a stage at an hour the actor never works, a stage from a
--            network new to the actor (operation-context's findings on the stages' sessions). A
--            first eDiscovery alone is a new compliance hire's first ticket as often as a theft:
--            it stays the ediscovery-export finding. The sessions of every stage (created,
--            started, exported, downloaded) form one chain.
-- why:       Collecting every mailbox into one download is the rogue-admin route to bulk theft,
--            and the stages are often split: the search from the office, the download at home or
--            from the intruder's host. A ticketed case by the usual compliance officer, scoped to
--            its custodians and fetched from the office, shows no sign and stays a single finding.
-- reads:     analyst.findings(tenant, session_id, detector_id, evidence): ediscovery-export's and
--            operation-context's
-- evidence:  export (the ediscovery-export evidence), signs
-- reason:    eDiscovery theft: search {names} exported and downloaded over {n} session(s); {signs}
-- tests:     Tests/IntegrationTests/ChainTests.swift

with exports as (
    select
        tenant,
        evidence,
        array(
            select distinct stage_session.id
            from jsonb_each(evidence -> 'stage_sessions') as stage (name, ids)
            cross join lateral jsonb_array_elements_text(stage.ids) as stage_session (id)
            order by stage_session.id
        ) as sessions
    from analyst.findings
    where detector_id = 'ediscovery-export'
        and evidence -> 'stage_sessions' ? 'exported'
        and evidence -> 'stage_sessions' ? 'downloaded'
),

-- The context operation-context found for the stages' sessions: the hour and the network.
signed as (
    select
        x.tenant,
        x.evidence,
        x.sessions,
        (x.evidence ->> 'all_mailboxes')::boolean or (x.evidence ->> 'new_download_address')::boolean as strong,
        array_remove(array[
            case when (x.evidence ->> 'first_time')::boolean then 'first eDiscovery in 90 days' end,
            case when (x.evidence ->> 'all_mailboxes')::boolean then 'all mailboxes' end,
            case when (x.evidence ->> 'new_download_address')::boolean
                then 'downloaded from new address ' || (x.evidence ->> 'download_address') end,
            case when context.off_hours then 'a stage at an hour the actor never works' end,
            case when context.new_network then 'a stage from a network new to the actor' end
        ], null) as signs
    from exports as x
    left join lateral (
        select
            bool_or((c.evidence ->> 'off_hours')::boolean) as off_hours,
            bool_or((c.evidence ->> 'new_network')::boolean) as new_network
        from analyst.findings as c
        where c.tenant = x.tenant and c.detector_id = 'operation-context' and c.session_id = any(x.sessions)
    ) as context on true
)

select
    tenant,
    sessions,
    array['ediscovery-export'] as detectors,
    case when cardinality(signs) >= 2 then 92 else 85 end as points,
    format(
        'eDiscovery theft: search %s exported and downloaded over %s session(s); %s',
        array_to_string(array(select jsonb_array_elements_text(evidence -> 'searches')), ', '),
        cardinality(sessions), array_to_string(signs, ', ')
    ) as reason,
    jsonb_build_object('export', evidence, 'signs', to_jsonb(signs)) as evidence
from signed
where strong or cardinality(signs) >= 2;
