-- Sessions in one sorted pass. 0006 numbered the sessions with a running count and then grouped
-- by that number, which PostgreSQL cannot know follows the sort it already made: at 10M events it
-- sorted every row a second time, on disk. Here a session is keyed by its group and its start,
-- so the grouping needs only an incremental sort of each group's rows, and every value set is
-- gathered in the same pass; only the sessions where a column varies sort their few values.
-- A full rebuild can also be cut in parts by group, built side by side on several connections.
-- Findings now belong to their session: a rebuild that drops a session drops its findings.

alter table mailhound.findings add constraint findings_session_fkey
    foreign key (tenant, session_id) references mailhound.sessions (tenant, session_id) on delete cascade not valid;

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

-- Rebuilds every session (since null) or the sessions of the groups with events stored by a
-- transaction the snapshot could not see. There, only sessions whose cut changed are replaced:
-- the others keep their findings, which an incremental run does not judge again.
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
        truncate mailhound.sessions, mailhound.findings;
        insert into mailhound.sessions select * from mailhound.session_rows(null, 0, 1);
        get diagnostics rebuilt = row_count;
        return rebuilt;
    end if;

    insert into rebuild_groups
    select distinct tenant, session_group from mailhound.events where mailhound.stored_after(loaded_txid, since);
    analyze rebuild_groups;

    create temp table if not exists rebuilt_sessions (like mailhound.sessions) on commit drop;
    truncate rebuilt_sessions;
    insert into rebuilt_sessions select * from mailhound.session_rows(since, 0, 1);
    get diagnostics rebuilt = row_count;
    analyze rebuilt_sessions;

    delete from mailhound.sessions as s
    using rebuild_groups as g
    where s.tenant = g.tenant and s.session_group = g.session_group
        and not exists (
            select 1 from rebuilt_sessions as r
            where r.tenant = s.tenant and r.session_id = s.session_id and row(r.*) is not distinct from row(s.*)
        );
    insert into mailhound.sessions
    select r.* from rebuilt_sessions as r
    where not exists (select 1 from mailhound.sessions as s where s.tenant = r.tenant and s.session_id = r.session_id);
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
    truncate mailhound.sessions, mailhound.findings;
    insert into mailhound.sessions select * from mailhound.session_parts;
    get diagnostics moved = row_count;
    truncate mailhound.session_parts;
    return moved;
end
$$;

comment on function mailhound.sessions_from_parts() is
    'Replaces mailhound.sessions with the parts built by build_session_part(); returns the sessions.';

-- The sessions that reach a mailbox other than the actor's own: a few in a hundred. The view
-- analyst.other_mailbox_touches repeats the predicate so that breadth detectors and shared-mailbox
-- tagging read only these.
create index sessions_touching_others on mailhound.sessions (tenant, first_seen)
    where actor is not null and not (mailbox_owners <@ array[lower(actor)]);

-- As in 0010, from the touches that view lists. PL/pgSQL: the view is created after the migrations.
create or replace function mailhound.refresh_shared_mailboxes() returns bigint
language plpgsql
as $$
declare
    found bigint;
begin
    delete from mailhound.shared_mailboxes;
    with per_reader as (
        select tenant, mailbox, actor_key as reader,
            count(distinct (first_seen at time zone 'UTC')::date) as days,
            min(first_seen) as first_seen, max(last_seen) as last_seen
        from analyst.other_mailbox_touches
        where actor_kind in ('user', 'delegate', 'admin') and mailbox like '%@%'
        group by tenant, mailbox, actor_key
    ),
    candidates as (
        select tenant, mailbox, array_agg(reader order by reader) filter (where days >= 2) as readers,
            min(first_seen) as first_seen, max(last_seen) as last_seen
        from per_reader
        group by tenant, mailbox
        having count(*) filter (where days >= 2) >= 2
    )
    insert into mailhound.shared_mailboxes (tenant, mailbox, readers, first_seen, last_seen)
    select c.tenant, c.mailbox, c.readers, c.first_seen, c.last_seen
    from candidates as c
    where not exists (
        select 1 from mailhound.sessions as own where own.tenant = c.tenant and lower(own.actor) = c.mailbox
    );
    analyze mailhound.shared_mailboxes;
    select count(*) into found from mailhound.shared_mailboxes;
    return found;
end
$$;
