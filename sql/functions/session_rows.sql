-- function: mailhound.session_rows(since pg_snapshot, part integer, parts integer) returns setof mailhound.sessions
-- what:     Sessions cut from the events: of every group (since null; with parts > 1 only the
--           groups whose key modulo parts is part), or of the groups listed in
--           mailhound.rebuild_groups from their cut_from on (since given).
-- reads:    mailhound.events, mailhound.rebuild_groups
-- writes:   nothing
-- callers:  rebuild_sessions, build_session_part
--
-- Every record is read once. Records are first counted by hashing into one row per distinct set
-- of values (a session of a hundred reads from one address and client becomes a row or two), so
-- the events are never sorted: a group named by a SessionId is one session, however long its gaps;
-- a record without a SessionId is counted with those of its half hour, for its group is cut where
-- a record comes more than 30 minutes after the one before it. The rows are then cut and gathered
-- into sessions. Time comes from the data only.

create or replace function mailhound.session_rows(since pg_snapshot, part integer, parts integer)
returns setof mailhound.sessions
language plpgsql
-- The planner takes a part of the groups for a few rows and would sort them to count their values;
-- only a hash keeps that count from sorting every event. The rows counted are sorted all the same.
set enable_sort = off
as $$
begin
    return query
        -- Two branches, each switched on or off as a whole by since, rather than one "is null or in
        -- (...)" filter: a cached generic plan of the latter scans every event.
        with scoped as (
            select
                e.session_key, e.tenant, e.occurred_at, e.actor, e.actor_kind, e.client_ip, e.client_info,
                e.client_app_id, e.app_id, e.source_session_id, e.items, e.bytes, e.mailbox_owner, e.access_type,
                e.operation
            from mailhound.events as e
            where since is null and (parts = 1 or abs(e.session_key % parts) = part)
            union all
            select
                e.session_key, e.tenant, e.occurred_at, e.actor, e.actor_kind, e.client_ip, e.client_info,
                e.client_app_id, e.app_id, e.source_session_id, e.items, e.bytes, e.mailbox_owner, e.access_type,
                e.operation
            from mailhound.rebuild_groups as g
            join mailhound.events as e
                on e.session_key = g.session_key and e.tenant = g.tenant and e.occurred_at >= g.cut_from
            where since is not null
        ),
        -- One row per distinct set of the values gathered below, with its records' count, times
        -- and sums; the values are grouped as stored and derived afterwards, once a row rather than
        -- once a record. A record without a SessionId is counted with those of its half hour only:
        -- no two of them are more than 30 minutes apart, so a session's cut never falls inside the
        -- row. The actor (its case aside) and the SessionId are the group's own, so they are kept
        -- as the least rather than hashed into the set (half the 10M benchmark's events: 1.5 s
        -- less).
        counted as (
            select
                session_key, tenant, actor_kind, client_ip, client_info, client_app_id, app_id, mailbox_owner,
                access_type, operation, min(actor) as actor, min(source_session_id) as source_session_id,
                min(occurred_at) as first_seen, max(occurred_at) as last_seen, count(*) as events,
                sum(items) as items, sum(bytes) as bytes
            from scoped
            group by session_key, tenant, actor_kind, client_ip, client_info, client_app_id, app_id, mailbox_owner,
                access_type, operation,
                case when source_session_id is null then date_bin('30 minutes', occurred_at, '2000-01-01') end
        ),
        -- A group without a SessionId starts a session at its first row and where a row begins more
        -- than 30 minutes after every row before it has ended. A group is its 64-bit key: sorting
        -- by it keeps the comparisons cheap. Two groups of one tenant would share a session only if
        -- their texts hashed alike: about one chance in 30 million for a tenant with a million
        -- groups. Whether a SessionId names the group is part of the partition, so such a clash
        -- never joins the two kinds.
        ordered as (
            select
                c.*,
                case
                    when c.source_session_id is not null then 0
                    when max(c.last_seen) over before_row is null then 1
                    when c.first_seen - max(c.last_seen) over before_row > interval '30 minutes' then 1
                    else 0
                end as starts_session
            from counted as c
            window before_row as (
                partition by c.session_key, c.tenant, c.source_session_id is null order by c.first_seen
                rows between unbounded preceding and 1 preceding
            )
        ),
        -- The session each row is in: the latest session start so far in its group, none for a
        -- SessionId's group.
        started as (
            select
                o.*,
                coalesce(o.client_info, nullif(o.client_app_id, ''), o.app_id) as client,
                max(case when o.starts_session = 1 then o.first_seen end) over (
                    partition by o.session_key, o.tenant, o.source_session_id is null order by o.first_seen
                    rows unbounded preceding
                ) as session_start
            from ordered as o
        ),
        -- How often the session saw each address and each client, for the most common of each.
        weighed as (
            select
                s.*,
                sum(s.events) over (partition by s.session_key, s.tenant, s.session_start, s.client_ip)
                    as address_events,
                sum(s.events) over (partition by s.session_key, s.tenant, s.session_start, s.client) as client_events
            from started as s
        ),
        -- Each column's distinct values and most common value are aggregates of the session. The
        -- actor's kind is the most privileged seen, and what names the group is the same on each of
        -- its rows.
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
                -- Sizes are the records' word: a session's sum stops at the largest bigint rather than
                -- failing the run.
                least(sum(bytes), 9223372036854775807)::bigint as bytes,
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
