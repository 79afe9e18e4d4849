-- function: mailhound.session_rows(since pg_snapshot, part integer, parts integer) returns setof mailhound.sessions
-- what:     Sessions cut from the events: of every group (since null; with parts > 1 only the
--           groups whose key modulo parts is part), or of the groups listed in
--           mailhound.rebuild_groups from their cut_from on (since given).
-- reads:    mailhound.events, mailhound.rebuild_groups
-- writes:   nothing
-- callers:  rebuild_sessions, build_session_part
--
-- A session is keyed by its group and its start, so grouping rows into sessions needs only an
-- incremental sort within each group, and every value set is gathered in the same pass. Time comes
-- from the data only.

create or replace function mailhound.session_rows(since pg_snapshot, part integer, parts integer)
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
                e.session_key, e.tenant, e.occurred_at, e.record_id, e.actor, e.actor_kind, e.client_ip,
                coalesce(e.client_info, nullif(e.client_app_id, ''), e.app_id) as client,
                coalesce(nullif(e.client_app_id, ''), nullif(e.app_id, ''), e.client_info) as group_app,
                e.source_session_id, e.items, e.bytes, lower(e.mailbox_owner) as owner, e.access_type, e.operation
            from mailhound.events as e
            where since is null and (parts = 1 or abs(e.session_key % parts) = part)
            union all
            select
                e.session_key, e.tenant, e.occurred_at, e.record_id, e.actor, e.actor_kind, e.client_ip,
                coalesce(e.client_info, nullif(e.client_app_id, ''), e.app_id),
                coalesce(nullif(e.client_app_id, ''), nullif(e.app_id, ''), e.client_info),
                e.source_session_id, e.items, e.bytes, lower(e.mailbox_owner), e.access_type, e.operation
            from mailhound.rebuild_groups as g
            join mailhound.events as e
                on e.session_key = g.session_key and e.tenant = g.tenant and e.occurred_at >= g.cut_from
            where since is not null
        ),
        -- A group is its 64-bit key: sorting by it keeps the comparisons cheap. Two groups of one
        -- tenant would share a session only if their texts hashed alike: about one chance in 30
        -- million for a tenant with a million groups.
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
            window w as (partition by s.session_key, s.tenant order by s.occurred_at, s.record_id)
        ),
        -- The start of the session each row is in: the latest session start so far in its group.
        started as (
            select
                o.*,
                max(case when o.starts_session = 1 then o.occurred_at end) over (
                    partition by o.session_key, o.tenant order by o.occurred_at, o.record_id
                    rows unbounded preceding
                ) as session_start
            from ordered as o
        ),
        -- Each column's distinct values and most common value are aggregates of the group, so no
        -- array is gathered and sorted again afterwards (a SQL function call a session cost a
        -- tenth of the cut).
        totals as (
            select
                tenant,
                session_key,
                -- What names the group is the same on each of its rows.
                mailhound.session_group(min(actor), min(source_session_id), min(client_ip), min(group_app))
                    as session_group,
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
                -- mode() takes the least of equally common values and leaves nulls out.
                mode() within group (order by client_ip) as client_ip,
                coalesce(array_agg(distinct client_ip) filter (where client_ip is not null), '{}') as client_ips,
                mode() within group (order by client) as client,
                coalesce(array_agg(distinct owner) filter (where owner is not null), '{}') as mailbox_owners,
                coalesce(array_agg(distinct access_type) filter (where access_type is not null), '{}')
                    as access_types,
                coalesce(array_agg(distinct operation) filter (where operation is not null), '{}') as operations
            from started
            group by session_key, tenant, session_start
        )
        select
            t.tenant,
            left(md5(t.tenant || '|' || t.session_group || '|'
                || case when t.source_session_id is null then t.first_seen::text else '' end), 16),
            t.session_group, t.actor, t.actor_kind, t.client_ip, t.client_ips, t.client,
            t.source_session_id, t.first_seen, t.last_seen, t.events, t.items, t.bytes,
            t.mailbox_owners, t.access_types, t.operations, t.session_key
        from totals as t;
end
$$;

comment on function mailhound.session_rows(pg_snapshot, integer, integer) is
    'Sessions cut from the events: of every group (since null; with parts > 1 only the groups whose key modulo parts is part), or of the groups listed in mailhound.rebuild_groups from their cut_from on.';
