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
--            started, exported, downloaded) form one chain, with the signs of every stage's
--            finding.
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

-- Each stage's session has its own ediscovery-export finding, naming the same stages' sessions:
-- one chain, with the signs of all of them (which finding came first must not decide its reason).
chains as (
    select
        x.tenant,
        x.sessions,
        string_agg(distinct search.name, ', ' order by search.name) as searches,
        bool_or((x.evidence ->> 'first_time')::boolean) as first_time,
        bool_or((x.evidence ->> 'all_mailboxes')::boolean) as all_mailboxes,
        min(x.evidence ->> 'download_address') filter (where (x.evidence ->> 'new_download_address')::boolean)
            as new_download_address,
        -- The evidence of the finding with the most stages, the same on every run.
        (array_agg(x.evidence order by jsonb_array_length(x.evidence -> 'stages') desc, x.evidence::text))[1]
            as evidence
    from exports as x
    cross join lateral jsonb_array_elements_text(x.evidence -> 'searches') as search (name)
    group by x.tenant, x.sessions
),

-- The context operation-context found for the stages' sessions: the hour and the network.
signed as (
    select
        x.tenant,
        x.searches,
        x.evidence,
        x.sessions,
        x.all_mailboxes or x.new_download_address is not null as strong,
        array_remove(array[
            case when x.first_time then 'first eDiscovery in 90 days' end,
            case when x.all_mailboxes then 'all mailboxes' end,
            case when x.new_download_address is not null
                then 'downloaded from new address ' || x.new_download_address end,
            case when context.off_hours then 'a stage at an hour the actor never works' end,
            case when context.new_network then 'a stage from a network new to the actor' end
        ], null) as signs
    from chains as x
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
        searches,
        cardinality(sessions), array_to_string(signs, ', ')
    ) as reason,
    jsonb_build_object('export', evidence, 'signs', to_jsonb(signs)) as evidence
from signed
where strong or cardinality(signs) >= 2;
