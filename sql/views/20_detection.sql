create or replace view analyst.sessions as
select
    tenant, session_id, actor, actor_kind, client_ip, client_ips, client, source_session_id,
    first_seen, last_seen, events, items, bytes, mailbox_owners, access_types, operations, clients
from mailhound.sessions
where ((select mailhound.visible_tenants()) is null or tenant = any ((select mailhound.visible_tenants())::text[]));

comment on view analyst.sessions is 'Sessions of activity; see mailhound.rebuild_sessions() for how they are cut.';

create or replace view analyst.tenant_spans as
select tenant, data_from, data_until, events, sessions, working_hours
from mailhound.tenant_spans
where ((select mailhound.visible_tenants()) is null or tenant = any ((select mailhound.visible_tenants())::text[]));

comment on view analyst.tenant_spans is
    'Each tenant''s span of data as of the latest detection run: where its first and last sessions fall, its records and sessions, and the hours its people work. Detectors that wait out the data''s first days start counting from data_from.';

create or replace view analyst.session_item_counts as
select tenant, items, sessions
from mailhound.session_item_counts
where ((select mailhound.visible_tenants()) is null or tenant = any ((select mailhound.visible_tenants())::text[]));

comment on view analyst.session_item_counts is
    'How many of each tenant''s sessions read each number of items, as of the latest detection run: volume-outlier''s tenant percentile reads it instead of every session.';

create or replace view analyst.shared_mailboxes as
select tenant, mailbox, readers, first_seen, last_seen
from mailhound.shared_mailboxes
where ((select mailhound.visible_tenants()) is null or tenant = any ((select mailhound.visible_tenants())::text[]));

comment on view analyst.shared_mailboxes is
    'Mailboxes tagged as shared by the latest detection run: no owner acts in the data, two or more people read them on two or more days each.';

create or replace view analyst.actor_days as
select tenant, actor_key, day, client_ip, client, sessions, last_start, start_hours, active_hours, mail_reads
from mailhound.actor_days
where ((select mailhound.visible_tenants()) is null or tenant = any ((select mailhound.visible_tenants())::text[]));

comment on view analyst.actor_days is
    'Each identity''s sessions of a UTC day from one address and client, rolled up, as of the latest detection run: what off-hours, slow-breadth, new-client''s look back and the organisation''s blocks read instead of the sessions.';

-- The tenant's own networks. Blocks, not autonomous systems: a provider's AS that many people
-- reach mail through (a home ISP, Microsoft's own) still holds addresses an intruder can rent. A
-- view, not a function, and no CTE read twice: Citus runs neither in a detector held to one tenant.
-- Read from the actors' days rather than the sessions (fewer rows, written once a run);
-- distinct rows by hash (count(distinct) would sort each group: 4.4 s against 1.4 s on 840k
-- sessions), and the tenant's actors counted by ranking them over those few rows rather than by
-- reading them again.
create or replace view analyst.organisation_blocks as
select b.tenant, b.block, b.actors
from (
    select tenant, block, count(*) as actors, max(max(actor_number)) over (partition by tenant) as tenant_actors
    from (
        select tenant, block, dense_rank() over (partition by tenant order by actor) as actor_number
        from (
            select distinct tenant, mailhound.network_block(client_ip) as block, actor_key as actor
            from analyst.actor_days
            where client_ip is not null and day >= (select (mailhound.history_from() at time zone 'UTC')::date)
        ) as used
    ) as numbered
    group by tenant, block
) as b
where b.actors >= greatest(10, b.tenant_actors / 20);

comment on view analyst.organisation_blocks is
    'The tenant''s own networks (office NAT, VPN egress): /24 or /64 blocks that at least a twentieth of its actors, and at least 10, had sessions from, as of the latest detection run (analyst.actor_days); new-client and operation-context call them no one''s new network. In an incremental detect, over the judged days and the baseline window before them.';
comment on column analyst.organisation_blocks.tenant is 'The tenant the sessions belong to.';
comment on column analyst.organisation_blocks.block is 'The network block: the /24 of an IPv4 address, the /64 of an IPv6 one (mailhound.network_block).';
comment on column analyst.organisation_blocks.actors is 'How many different actors (lower-case) had sessions from the block.';

-- Every session's touch of a mailbox other than the actor's own, shared ones included. The
-- redundant array test matches the partial index sessions_touching_others, so the few sessions
-- that reach other mailboxes are read without scanning the rest.
create or replace view analyst.other_mailbox_touches as
select
    s.tenant,
    s.session_id,
    s.actor,
    lower(s.actor) as actor_key,
    s.actor_kind,
    s.operations,
    o.owner as mailbox,
    s.first_seen,
    s.last_seen
from mailhound.sessions as s
cross join lateral unnest(s.mailbox_owners) as o (owner)
where s.actor is not null
    and not (s.mailbox_owners <@ array[lower(s.actor)])
    and o.owner <> lower(s.actor)
    and ((select mailhound.visible_tenants()) is null or s.tenant = any ((select mailhound.visible_tenants())::text[]));

comment on view analyst.other_mailbox_touches is
    'Each session''s touches of mailboxes other than the actor''s own (shared mailboxes included): what shared-mailbox tagging and the breadth detectors start from.';
comment on column analyst.other_mailbox_touches.actor_key is 'The actor, lower-case.';
comment on column analyst.other_mailbox_touches.mailbox is 'The mailbox touched (lower-case owner), not the actor''s own.';

-- Every touch of another person's mailbox, with when the same identity last touched it: the
-- breadth detectors' "new to them" test, as the latest detection run wrote it.
create or replace view analyst.mailbox_touches as
select
    t.tenant,
    t.session_id,
    t.actor,
    t.actor_key,
    t.actor_kind,
    t.operations,
    t.mailbox,
    t.first_seen,
    t.touched_before
from mailhound.mailbox_touches as t
where not exists (select 1 from mailhound.shared_mailboxes as sm where sm.tenant = t.tenant and sm.mailbox = t.mailbox)
    and ((select mailhound.visible_tenants()) is null or t.tenant = any ((select mailhound.visible_tenants())::text[]));

comment on view analyst.mailbox_touches is
    'Each session''s touches of other people''s mailboxes (shared mailboxes left out), with the same identity''s previous touch of that mailbox, as of the latest detection run.';
comment on column analyst.mailbox_touches.mailbox is 'The mailbox touched (lower-case owner), not the actor''s own and not shared.';

create or replace view analyst.detectors as
select detector_id, title, severity, file_name, sha256, sql_text, loaded_at
from mailhound.detectors;

comment on view analyst.detectors is 'Detector files of the last run, with their full SQL text.';

create or replace view analyst.detection_runs as
select
    run_id, mode, started_at, finished_at, status, detectors, data_from, data_until, events, sessions,
    sessions_rebuilt, judged_from, findings
from mailhound.detection_runs
-- A run counts every tenant's records: a reader bound to tenants sees none.
where (select mailhound.visible_tenants()) is null;

comment on view analyst.detection_runs is 'History of detection runs.';

create or replace view analyst.findings as
select
    tenant, session_id, detector_id, run_id, points, reason, evidence, suppressed_by,
    suppressed_by is not null as suppressed
from mailhound.findings
where ((select mailhound.visible_tenants()) is null or tenant = any ((select mailhound.visible_tenants())::text[]));

comment on view analyst.findings is 'Findings of the latest detection run, one per session and detector.';
comment on column analyst.findings.suppressed is 'True when an allow-list entry suppresses the finding.';

create or replace view analyst.allowlist as
select tenant, entry_id, actor, app_id, client_network, detector_id, reason, expires_at, created_at
from mailhound.allowlist
where ((select mailhound.visible_tenants()) is null or tenant = any ((select mailhound.visible_tenants())::text[]));

comment on view analyst.allowlist is 'Allow-list entries that suppress findings.';

-- Score: a noisy-OR of the findings' points (mailhound.combined_score), 100 * (1 - prod(1 - points/100)).
-- One strong finding dominates (90 stays 90), several weak ones add with diminishing returns
-- (three findings of 20 give 49, never 60), and nothing reaches 100.
-- Severity bands (mailhound.severity_band): critical >= 85, high >= 65, medium >= 40, low below.
-- detect stores each scored session's score (mailhound.session_scores); the session's other
-- columns come by a left join, which the planner leaves out when a query reads none of them.
create or replace view analyst.ranked_sessions as
select
    rank() over (order by sc.score desc, sc.items desc, sc.first_seen, sc.session_id)::integer as rank,
    sc.score,
    mailhound.severity_band(sc.score) as severity,
    sc.tenant,
    sc.session_id,
    sc.actor,
    s.actor_kind,
    sc.mailbox_owners,
    s.client_ip,
    s.client,
    sc.first_seen,
    s.last_seen,
    s.events,
    sc.items,
    s.bytes,
    sc.detectors,
    sc.reasons,
    sc.evidence
from mailhound.session_scores as sc
-- Every scored session is stored (foreign key): the left join finds one row for each.
left join mailhound.sessions as s on s.tenant = sc.tenant and s.session_id = sc.session_id
-- Ranked among the sessions the reader may see: a rank says nothing of other tenants.
where (select mailhound.visible_tenants()) is null or sc.tenant = any ((select mailhound.visible_tenants())::text[]);

comment on view analyst.ranked_sessions is 'Sessions with at least one unsuppressed finding, ranked by score (0-100).';
comment on column analyst.ranked_sessions.rank is 'Position, 1 = most suspicious; ties broken by items, then time.';
comment on column analyst.ranked_sessions.score is 'Score 0-100: 100 * (1 - product of (1 - points/100)) over the findings.';
comment on column analyst.ranked_sessions.severity is 'critical (>= 85), high (>= 65), medium (>= 40) or low.';
comment on column analyst.ranked_sessions.detectors is 'Detectors that fired, strongest first.';
comment on column analyst.ranked_sessions.reasons is 'One sentence per finding, strongest first.';
comment on column analyst.ranked_sessions.evidence is 'Evidence of each finding, keyed by detector id.';

-- Account score: each detector counts once per account, with its strongest finding over the
-- account's sessions, and those combine by the same noisy-OR as a session's findings. Fifty
-- sessions that trip the same weak rule stay weak; different kinds of evidence add up.
create or replace view analyst.ranked_accounts as
select
    rank() over (partition by a.role order by a.score desc, a.sessions desc, a.account)::integer as rank,
    a.score,
    mailhound.severity_band(a.score) as severity,
    a.role,
    a.tenant,
    a.account,
    a.sessions,
    a.detectors,
    a.reasons
from mailhound.account_scores as a
where ((select mailhound.visible_tenants()) is null or a.tenant = any ((select mailhound.visible_tenants())::text[]));

comment on view analyst.ranked_accounts is
    'Acting identities (role actor: likely compromised or abused) and mailbox owners read by others (role owner: exposed), ranked by score within each role (mailhound.account_scores, stored by each detection run).';
comment on column analyst.ranked_accounts.rank is 'Position within the role, 1 = highest risk.';
comment on column analyst.ranked_accounts.score is
    'Score 0-100: noisy-OR over distinct detectors, each with its strongest points across the account''s sessions.';
comment on column analyst.ranked_accounts.severity is 'critical (>= 85), high (>= 65), medium (>= 40) or low.';
comment on column analyst.ranked_accounts.role is 'actor: the identity that acted; owner: a mailbox someone else read.';
comment on column analyst.ranked_accounts.tenant is 'Tenant of the account.';
comment on column analyst.ranked_accounts.account is 'Lower-cased UPN, app id or identity.';
comment on column analyst.ranked_accounts.sessions is 'Sessions with unsuppressed findings that involve the account in this role.';
comment on column analyst.ranked_accounts.detectors is 'Detectors that fired, strongest first.';
comment on column analyst.ranked_accounts.reasons is 'The strongest finding''s sentence for each detector, strongest first.';

create or replace view analyst.chains as
select tenant, chain_id, run_id, kind, points, reason, evidence, sessions, detectors, first_seen, last_seen
from mailhound.chains
where ((select mailhound.visible_tenants()) is null or tenant = any ((select mailhound.visible_tenants())::text[]));

comment on view analyst.chains is
    'Sequences of findings that form one intrusion (SSRF → read, grant → read → revoke, export → fetch...), linking their sessions.';

create or replace view analyst.network_owners as
select range_start, range_end, asn, country, name, source_file, loaded_at
from mailhound.network_owners;

comment on view analyst.network_owners is
    'The loaded IP-to-ASN table (mailhound networks load): which autonomous system routes each address range.';
