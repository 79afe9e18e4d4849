-- Sessions in one sorted pass. 0006 numbered the sessions with a running count and then grouped
-- by that number, which PostgreSQL cannot know follows the sort it already made: at 10M events it
-- sorted every row a second time, on disk. Here a session is keyed by its group and its start,
-- so the grouping needs only an incremental sort of each group's rows, and every value set is
-- gathered in the same pass; only the sessions where a column varies sort their few values.
-- A full rebuild can also be cut in parts by group, built side by side on several connections.

-- The distinct non-null values of an array, in order.
create function mailhound.distinct_sorted(items anyarray) returns anyarray
language sql immutable
as $$
    select coalesce(array_agg(distinct v order by v) filter (where v is not null), '{}')
    from unnest(items) as v
$$;

comment on function mailhound.distinct_sorted(anyarray) is
    'The distinct non-null values of the array, sorted (an empty array when there are none).';

-- The most frequent non-null value of an array; the least of those as frequent (as mode() does).
create function mailhound.most_common(items anyarray) returns anyelement
language sql immutable
as $$
    select v from unnest(items) as v where v is not null group by v order by count(*) desc, v limit 1
$$;

comment on function mailhound.most_common(anyarray) is
    'The most frequent non-null value of the array, the least of equally frequent ones; null when none.';

-- The sessions of every group (since null; with parts > 1 only the groups whose hash falls in
-- this part), or of the groups in the temporary table rebuild_groups.
create function mailhound.session_rows(since pg_snapshot, part integer, parts integer)
returns setof mailhound.sessions
language plpgsql
set enable_hashagg = off
as $$
begin
    return query
        -- Two branches, each switched on or off as a whole by since, rather than one "is null or in
        -- (...)" filter: a cached generic plan of the latter scans every event.
        with scoped as (
            select
                hashtextextended(e.session_group, 0) as group_hash, e.tenant, e.session_group, e.occurred_at,
                e.record_id, e.actor, e.actor_kind, e.client_ip,
                coalesce(e.client_info, nullif(e.client_app_id, ''), e.app_id) as client,
                e.source_session_id, e.items, e.bytes, lower(e.mailbox_owner) as owner, e.access_type, e.operation
            from mailhound.events as e
            where since is null and (parts = 1 or abs(hashtextextended(e.session_group, 0) % parts) = part)
            union all
            select
                hashtextextended(e.session_group, 0), e.tenant, e.session_group, e.occurred_at,
                e.record_id, e.actor, e.actor_kind, e.client_ip,
                coalesce(e.client_info, nullif(e.client_app_id, ''), e.app_id),
                e.source_session_id, e.items, e.bytes, lower(e.mailbox_owner), e.access_type, e.operation
            from rebuild_groups as g
            join mailhound.events as e on e.tenant = g.tenant and e.session_group = g.session_group
            where since is not null
        ),
        -- Sorting by a 64-bit hash of the group first keeps the comparisons cheap: groups share long
        -- prefixes.
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
        -- The start of the session each row is in: the latest session start so far in its group.
        started as (
            select
                o.*,
                max(case when o.starts_session = 1 then o.occurred_at end) over (
                    partition by o.group_hash, o.tenant, o.session_group order by o.occurred_at, o.record_id
                    rows unbounded preceding
                ) as session_start
            from ordered as o
        ),
        -- Most sessions have one address, one client, one mailbox: where a column's minimum equals its
        -- maximum, that is its only value, and the gathered array is not looked at.
        totals as (
            select
                tenant,
                session_group,
                min(actor) as actor,
                (array['system', 'app', 'admin', 'delegate', 'user'])[min(case actor_kind
                    when 'system' then 1 when 'app' then 2 when 'admin' then 3 when 'delegate' then 4 else 5 end)]
                    as actor_kind,
                min(source_session_id) as source_session_id,
                min(occurred_at) as first_seen,
                max(occurred_at) as last_seen,
                count(*)::integer as events,
                sum(items) as items,
                sum(bytes)::bigint as bytes,
                min(client_ip) as least_ip,
                max(client_ip) as greatest_ip,
                array_agg(client_ip) as ips,
                min(client) as least_client,
                max(client) as greatest_client,
                array_agg(client) as clients,
                min(owner) as least_owner,
                max(owner) as greatest_owner,
                array_agg(owner) as owners,
                min(access_type) as least_access,
                max(access_type) as greatest_access,
                array_agg(access_type) as accesses,
                min(operation) as least_operation,
                max(operation) as greatest_operation,
                array_agg(operation) as operations
            from started
            group by group_hash, tenant, session_group, session_start
        )
        select
            t.tenant,
            left(md5(t.tenant || '|' || t.session_group || '|'
                || case when t.source_session_id is null then t.first_seen::text else '' end), 16),
            t.session_group, t.actor, t.actor_kind,
            case when t.least_ip = t.greatest_ip then t.least_ip else mailhound.most_common(t.ips) end,
            case when t.least_ip = t.greatest_ip then array[t.least_ip]
                when t.least_ip is null then '{}' else mailhound.distinct_sorted(t.ips) end,
            case when t.least_client = t.greatest_client then t.least_client else mailhound.most_common(t.clients) end,
            t.source_session_id, t.first_seen, t.last_seen, t.events, t.items, t.bytes,
            case when t.least_owner = t.greatest_owner then array[t.least_owner]
                when t.least_owner is null then '{}' else mailhound.distinct_sorted(t.owners) end,
            case when t.least_access = t.greatest_access then array[t.least_access]
                when t.least_access is null then '{}' else mailhound.distinct_sorted(t.accesses) end,
            case when t.least_operation = t.greatest_operation then array[t.least_operation]
                else mailhound.distinct_sorted(t.operations) end
        from totals as t;
end
$$;

comment on function mailhound.session_rows(pg_snapshot, integer, integer) is
    'Sessions cut from the events: of every group (since null; with parts > 1 only the groups whose hash modulo parts is part), or of the groups listed in the temporary table rebuild_groups.';

create or replace function mailhound.rebuild_sessions(since pg_snapshot) returns bigint
language plpgsql
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

    insert into mailhound.sessions select * from mailhound.session_rows(since, 0, 1);
    get diagnostics rebuilt = row_count;
    return rebuilt;
end
$$;

-- Parts of a full rebuild, built on their own connections and committed there, then moved into
-- mailhound.sessions by the detection run's transaction. Unlogged: a crash loses only a rebuild.
create unlogged table mailhound.session_parts (like mailhound.sessions);

comment on table mailhound.session_parts is
    'Scratch space of a full detect: sessions built side by side on several connections, moved into mailhound.sessions in the run''s transaction. Empty between runs.';

create function mailhound.build_session_part(part integer, parts integer) returns bigint
language plpgsql
as $$
declare
    built bigint;
begin
    -- session_rows() names the incremental branch's table even where that branch reads nothing.
    create temp table if not exists rebuild_groups (tenant text not null, session_group text not null) on commit drop;
    insert into mailhound.session_parts select * from mailhound.session_rows(null, part, parts);
    get diagnostics built = row_count;
    return built;
end
$$;

comment on function mailhound.build_session_part(integer, integer) is
    'Adds the sessions of one part of the groups to mailhound.session_parts; run by detect --full on a connection of its own.';

-- The parts built, as the sessions: in the detection run's transaction, so a failed run leaves
-- the previous sessions in place.
create function mailhound.sessions_from_parts() returns bigint
language plpgsql
as $$
declare
    moved bigint;
begin
    truncate mailhound.sessions;
    insert into mailhound.sessions select * from mailhound.session_parts;
    get diagnostics moved = row_count;
    truncate mailhound.session_parts;
    return moved;
end
$$;

comment on function mailhound.sessions_from_parts() is
    'Replaces mailhound.sessions with the parts built by build_session_part(); returns the sessions.';
