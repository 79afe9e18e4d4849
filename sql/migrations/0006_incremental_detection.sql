-- Incremental detection: every event remembers the transaction that stored it, and every detection
-- run remembers which transactions it could see, so the next run rebuilds only the sessions that
-- new events can change.

-- Rows stored before this migration keep null: the first run after it is a full one anyway.
alter table mailhound.events add column loaded_txid bigint;
alter table mailhound.events alter column loaded_txid set default (pg_current_xact_id()::text::bigint);
-- Transaction ids grow with time and rows are appended: a block range index costs almost nothing
-- to maintain and finds the newest rows without reading the others.
create index events_loaded_txid on mailhound.events using brin (loaded_txid);

comment on column mailhound.events.loaded_txid is
    'Transaction that stored the row (pg_current_xact_id): detect rebuilds only what newer rows change.';

alter table mailhound.detection_runs
    add column mode text not null default 'full' check (mode in ('full', 'incremental')),
    add column snapshot pg_snapshot,
    add column sessions_rebuilt bigint;

comment on column mailhound.detection_runs.mode is
    'full: every session rebuilt; incremental: only sessions with events stored since the previous run.';
comment on column mailhound.detection_runs.snapshot is
    'Transactions visible when the run started: rows stored by any other transaction are new to the next run.';
comment on column mailhound.detection_runs.sessions_rebuilt is 'Sessions this run rebuilt (all of them in a full run).';

-- Detectors compare a session with the same actor's earlier ones.
create index sessions_actor_time on mailhound.sessions (tenant, lower(actor), first_seen);

-- Detectors that look for rare kinds of events find them without reading every mail read.
create index events_not_mail_reads on mailhound.events (tenant, operation, occurred_at)
    where operation <> 'MailItemsAccessed';
create index events_syncs on mailhound.events (tenant, session_group, occurred_at)
    where access_type = 'Sync';
create index events_machine_identities on mailhound.events (tenant, session_group, occurred_at)
    where actor_kind in ('system', 'app');

drop function mailhound.rebuild_sessions();

-- Rebuilds the sessions of every group (since null) or of the groups with events stored by a
-- transaction the snapshot since could not see. Only the columns sessions need are sorted: the raw records
-- stay where they are. Time comes from the data only.
-- Rows arrive at the per-session aggregation already in session order: sorting sorted rows is
-- cheap, while hashing half a million sessions' minimums and maximums spills to disk.
create function mailhound.rebuild_sessions(since pg_snapshot) returns bigint
language plpgsql
set enable_hashagg = off
as $$
declare
    rebuilt bigint;
begin
    create temp table if not exists rebuild_groups (
        tenant text not null,
        session_group text not null,
        primary key (tenant, session_group)
    ) on commit drop;
    truncate rebuild_groups;
    if since is null then
        truncate mailhound.sessions;
    else
        insert into rebuild_groups
        -- The xmin bound lets the block range index skip old rows; the visibility test then
        -- keeps transactions that committed before the snapshot out, even when another database
        -- of the cluster held xmin back.
        select distinct tenant, session_group from mailhound.events
        where loaded_txid >= pg_snapshot_xmin(since)::text::bigint
            and not pg_visible_in_snapshot(loaded_txid::text::xid8, since);
        analyze rebuild_groups;
        delete from mailhound.sessions as s
        using rebuild_groups as g
        where s.tenant = g.tenant and s.session_group = g.session_group;
    end if;

    -- Sorting by a 64-bit hash of the group first keeps the sort's comparisons cheap: groups share
    -- long prefixes. Two branches, each switched on or off as a whole by since, rather than
    -- one "is null or in (...)" filter: a cached generic plan of the latter scans every event.
    with scoped as (
        select
            hashtextextended(e.session_group, 0) as group_hash, e.tenant, e.session_group, e.occurred_at,
            e.record_id, e.actor, e.actor_kind, e.client_ip, e.client_info, e.client_app_id, e.app_id,
            e.source_session_id, e.items, e.bytes, e.mailbox_owner, e.access_type, e.operation
        from mailhound.events as e
        where since is null
        union all
        select
            hashtextextended(e.session_group, 0), e.tenant, e.session_group, e.occurred_at,
            e.record_id, e.actor, e.actor_kind, e.client_ip, e.client_info, e.client_app_id, e.app_id,
            e.source_session_id, e.items, e.bytes, e.mailbox_owner, e.access_type, e.operation
        from rebuild_groups as g
        join mailhound.events as e on e.tenant = g.tenant and e.session_group = g.session_group
        where since is not null
    ),
    ordered as (
        select
            s.*,
            case
                when lag(s.occurred_at) over w is null then 1
                when s.source_session_id is not null then 0
                when s.occurred_at - lag(s.occurred_at) over w > interval '30 minutes' then 1
                else 0
            end as starts_session
        from scoped as s
        window w as (partition by s.group_hash, s.tenant, s.session_group order by s.occurred_at, s.record_id)
    ),
    -- Every group's first row starts a session, so a running count over the same order numbers
    -- the sessions of the whole run: a small exact key for the passes below.
    numbered as materialized (
        select
            o.*,
            sum(o.starts_session) over (
                order by o.group_hash, o.tenant, o.session_group, o.occurred_at, o.record_id
                rows unbounded preceding
            ) as session_key
        from ordered as o
    ),
    -- Most sessions have one address, one client, one mailbox: where a column's minimum equals its
    -- maximum, that is its only value and no per-session sort is needed. Only the other sessions
    -- go through sorted aggregates.
    totals as (
        select
            session_key,
            min(tenant) as tenant,
            min(session_group) as session_group,
            min(actor) as actor,
            (array['system', 'app', 'admin', 'delegate', 'user'])[min(case actor_kind
                when 'system' then 1 when 'app' then 2 when 'admin' then 3 when 'delegate' then 4 else 5 end)]
                as actor_kind,
            min(source_session_id) as source_session_id,
            min(occurred_at) as first_seen,
            max(occurred_at) as last_seen,
            count(*) as events,
            sum(items) as items,
            sum(bytes) as bytes,
            min(client_ip) as least_ip,
            max(client_ip) as greatest_ip,
            min(coalesce(client_info, nullif(client_app_id, ''), app_id)) as least_client,
            max(coalesce(client_info, nullif(client_app_id, ''), app_id)) as greatest_client,
            min(lower(mailbox_owner)) as least_owner,
            max(lower(mailbox_owner)) as greatest_owner,
            min(access_type) as least_access,
            max(access_type) as greatest_access,
            min(operation) as least_operation,
            max(operation) as greatest_operation
        from numbered
        group by session_key
    ),
    varied as (
        select
            n.session_key,
            mode() within group (order by n.client_ip) as client_ip,
            coalesce(array_agg(distinct n.client_ip) filter (where n.client_ip is not null), '{}') as client_ips,
            mode() within group (order by coalesce(n.client_info, nullif(n.client_app_id, ''), n.app_id)) as client,
            coalesce(array_agg(distinct lower(n.mailbox_owner)) filter (where n.mailbox_owner is not null), '{}')
                as mailbox_owners,
            coalesce(array_agg(distinct n.access_type) filter (where n.access_type is not null), '{}')
                as access_types,
            array_agg(distinct n.operation) as operations
        from numbered as n
        join totals as t using (session_key)
        where t.least_ip <> t.greatest_ip
            or t.least_client <> t.greatest_client
            or t.least_owner <> t.greatest_owner
            or t.least_access <> t.greatest_access
            or t.least_operation <> t.greatest_operation
        group by n.session_key
    )
    insert into mailhound.sessions
    select
        t.tenant,
        left(md5(t.tenant || '|' || t.session_group || '|'
            || case when t.source_session_id is null then t.first_seen::text else '' end), 16),
        t.session_group, t.actor, t.actor_kind,
        case when v.session_key is null then t.least_ip else v.client_ip end,
        case when v.session_key is not null then v.client_ips
            when t.least_ip is null then '{}' else array[t.least_ip] end,
        case when v.session_key is null then t.least_client else v.client end,
        t.source_session_id, t.first_seen, t.last_seen, t.events, t.items, t.bytes,
        case when v.session_key is not null then v.mailbox_owners
            when t.least_owner is null then '{}' else array[t.least_owner] end,
        case when v.session_key is not null then v.access_types
            when t.least_access is null then '{}' else array[t.least_access] end,
        case when v.session_key is not null then v.operations else array[t.least_operation] end
    from totals as t
    left join varied as v using (session_key);
    get diagnostics rebuilt = row_count;
    return rebuilt;
end
$$;

comment on function mailhound.rebuild_sessions(pg_snapshot) is
    'Rebuilds mailhound.sessions from mailhound.events: all of them (null), or the groups with rows stored by transactions this snapshot could not see; returns the sessions built. Run by mailhound detect.';

-- The score formula, shared by the session and account rankings: 100 * (1 - prod(1 - points/100)),
-- points capped at 99, so one strong finding dominates, weak ones add with diminishing returns
-- and nothing reaches 100.
create function mailhound.combine_points_step(remaining double precision, points integer)
returns double precision
language sql immutable strict
as $$ select remaining * (1 - least(points, 99) / 100.0) $$;

create function mailhound.combine_points_final(remaining double precision) returns integer
language sql immutable
as $$ select least(99, round(100 * (1 - remaining)))::integer $$;

create aggregate mailhound.combined_score(integer) (
    sfunc = mailhound.combine_points_step,
    stype = double precision,
    initcond = '1',
    finalfunc = mailhound.combine_points_final
);

comment on aggregate mailhound.combined_score(integer) is
    'Score 0-100 of a set of findings'' points: 100 * (1 - product of (1 - points/100)), points capped at 99.';

create function mailhound.severity_band(score integer) returns text
language sql immutable
as $$
    select case when score >= 85 then 'critical' when score >= 65 then 'high' when score >= 40 then 'medium' else 'low' end
$$;

comment on function mailhound.severity_band(integer) is 'critical (>= 85), high (>= 65), medium (>= 40) or low.';
