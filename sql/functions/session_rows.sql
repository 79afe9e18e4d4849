-- function: mailhound.session_rows(since pg_snapshot, part integer, parts integer) returns setof mailhound.sessions
-- what:     Sessions cut from the events: of every group (since null; with parts > 1 only the
--           groups whose key modulo parts is part), or of the groups listed in
--           mailhound.rebuild_groups from their cut_from on (since given).
-- reads:    mailhound.events, mailhound.rebuild_groups
-- writes:   nothing
-- callers:  rebuild_sessions, build_session_part
--
-- A group named by a SessionId is one session, however long its gaps: its records are first
-- counted by hashing into one row per distinct set of values (a session of a hundred reads from one
-- address and client becomes a row or two), so the events are never sorted. Only the groups without
-- a SessionId are sorted by time and cut at gaps of more than 30 minutes. Both kinds of rows are then
-- gathered into sessions. Time comes from the data only.

create or replace function mailhound.session_rows(since pg_snapshot, part integer, parts integer)
returns setof mailhound.sessions
language plpgsql
-- The planner takes a part of the groups for a few rows and would sort them to count the values of
-- a SessionId's group; only a hash keeps that count from sorting every event. The cut by time
-- sorts all the same.
set enable_sort = off
as $$
begin
    return query
        -- Two branches, each switched on or off as a whole by since, rather than one "is null or in
        -- (...)" filter: a cached generic plan of the latter scans every event. Every event is read
        -- twice below, once for each kind of group, rather than stored for both: a scan of 10M
        -- events takes about 2 s here, where storing them would write every record's values out
        -- again. The groups to cut again are few, so their events are looked up once and kept (a
        -- day of 10M events: the second round of lookups took 0.13 s).
        with regrouped as materialized (
            select
                e.session_key, e.tenant, e.occurred_at, e.actor, e.actor_kind, e.client_ip, e.client_info,
                e.client_app_id, e.app_id, e.source_session_id, e.items, e.bytes, e.mailbox_owner, e.access_type,
                e.operation
            from mailhound.rebuild_groups as g
            join mailhound.events as e
                on e.session_key = g.session_key and e.tenant = g.tenant and e.occurred_at >= g.cut_from
            where since is not null
        ),
        scoped as not materialized (
            select
                e.session_key, e.tenant, e.occurred_at, e.actor, e.actor_kind, e.client_ip, e.client_info,
                e.client_app_id, e.app_id, e.source_session_id, e.items, e.bytes, e.mailbox_owner, e.access_type,
                e.operation
            from mailhound.events as e
            where since is null and (parts = 1 or abs(e.session_key % parts) = part)
            union all
            select * from regrouped
        ),
        -- A group named by a SessionId is one session, however long its gaps, so its records are
        -- never sorted: they are counted by hashing, one row per distinct set of the values
        -- gathered below (a session of a hundred reads from one address and client becomes a row or
        -- two). The values are grouped as stored and derived afterwards, once a row rather than once
        -- a record.
        identified as (
            select
                session_key, tenant, actor, actor_kind, source_session_id, client_ip, client_info, client_app_id,
                app_id, mailbox_owner, access_type, operation, min(occurred_at) as first_seen,
                max(occurred_at) as last_seen, count(*) as events, sum(items) as items, sum(bytes) as bytes
            from scoped
            where source_session_id is not null
            group by session_key, tenant, actor, actor_kind, source_session_id, client_ip, client_info,
                client_app_id, app_id, mailbox_owner, access_type, operation
        ),
        -- How often the session saw each address and each client, for the most common of each.
        weighed as (
            select
                i.*,
                coalesce(i.client_info, nullif(i.client_app_id, ''), i.app_id) as client,
                sum(i.events) over (partition by i.session_key, i.tenant, i.client_ip) as address_events,
                sum(i.events) over (
                    partition by i.session_key, i.tenant, coalesce(i.client_info, nullif(i.client_app_id, ''), i.app_id)
                ) as client_events
            from identified as i
        ),
        -- The other groups are cut where a record comes more than 30 minutes after the one before
        -- it. A group is its 64-bit key: sorting by it keeps the comparisons cheap. Two groups of one
        -- tenant would share a session only if their texts hashed alike: about one chance in 30
        -- million for a tenant with a million groups.
        ordered as (
            select
                s.*,
                coalesce(s.client_info, nullif(s.client_app_id, ''), s.app_id) as client,
                case
                    when lag(s.occurred_at) over w is null then 1
                    when s.occurred_at - lag(s.occurred_at) over w > interval '30 minutes' then 1
                    else 0
                end as starts_session
            from scoped as s
            where s.source_session_id is null
            window w as (partition by s.session_key, s.tenant order by s.occurred_at)
        ),
        -- The start of the session each row is in: the latest session start so far in its group.
        started as (
            select
                o.*,
                max(case when o.starts_session = 1 then o.occurred_at end) over (
                    partition by o.session_key, o.tenant order by o.occurred_at rows unbounded preceding
                ) as session_start
            from ordered as o
        ),
        -- Each column's distinct values and most common value are aggregates of the session; the
        -- two kinds of groups differ only in that a SessionId's rows carry counts. The actor's kind
        -- is the most privileged seen, and what names the group is the same on each of its rows.
        totals as (
            select
                tenant,
                session_key,
                mailhound.session_group(
                    min(actor), min(source_session_id), min(client_ip),
                    min(coalesce(nullif(client_app_id, ''), nullif(app_id, ''), client_info))
                ) as session_group,
                min(actor) as actor,
                (array['system', 'app', 'admin', 'delegate', 'user'])[min(case actor_kind
                    when 'system' then 1 when 'app' then 2 when 'admin' then 3 when 'delegate' then 4 else 5 end)]
                    as actor_kind,
                min(source_session_id) as source_session_id,
                min(first_seen) as first_seen,
                max(last_seen) as last_seen,
                sum(events)::integer as events,
                sum(items)::bigint as items,
                sum(bytes)::bigint as bytes,
                -- The most common value, the least of equally common ones, nulls left out (as mode()).
                (array_agg(client_ip order by address_events desc, client_ip) filter (where client_ip is not null))[1]
                    as client_ip,
                coalesce(array_agg(distinct client_ip) filter (where client_ip is not null), '{}') as client_ips,
                (array_agg(client order by client_events desc, client) filter (where client is not null))[1] as client,
                coalesce(array_agg(distinct lower(mailbox_owner)) filter (where mailbox_owner is not null), '{}')
                    as mailbox_owners,
                coalesce(array_agg(distinct access_type) filter (where access_type is not null), '{}')
                    as access_types,
                coalesce(array_agg(distinct operation) filter (where operation is not null), '{}') as operations
            from weighed
            group by session_key, tenant
            union all
            select
                tenant,
                session_key,
                mailhound.session_group(
                    min(actor), min(source_session_id), min(client_ip),
                    min(coalesce(nullif(client_app_id, ''), nullif(app_id, ''), client_info))
                ),
                min(actor),
                (array['system', 'app', 'admin', 'delegate', 'user'])[min(case actor_kind
                    when 'system' then 1 when 'app' then 2 when 'admin' then 3 when 'delegate' then 4 else 5 end)],
                min(source_session_id),
                min(occurred_at),
                max(occurred_at),
                count(*)::integer,
                sum(items)::bigint,
                sum(bytes)::bigint,
                mode() within group (order by client_ip),
                coalesce(array_agg(distinct client_ip) filter (where client_ip is not null), '{}'),
                mode() within group (order by client),
                coalesce(array_agg(distinct lower(mailbox_owner)) filter (where mailbox_owner is not null), '{}'),
                coalesce(array_agg(distinct access_type) filter (where access_type is not null), '{}'),
                coalesce(array_agg(distinct operation) filter (where operation is not null), '{}')
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
