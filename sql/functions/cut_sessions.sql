-- function: mailhound.cut_sessions(part integer, parts integer) returns setof mailhound.sessions
-- what:     The sessions cut from the counts in mailhound.session_counts: of every group counted,
--           or with parts > 1 only of the groups whose key modulo parts is part.
-- reads:    mailhound.session_counts
-- writes:   nothing
-- callers:  rebuild_sessions, build_session_part
--
-- The counted rows are cut and gathered into sessions: a group named by a SessionId is one
-- session, however long its gaps; a group without one is cut where a row begins more than 30
-- minutes after every row before it has ended. Time comes from the data only.

create or replace function mailhound.cut_sessions(part integer, parts integer)
returns setof mailhound.sessions
-- PL/pgSQL: Citus plans no SQL function that reads a distributed table with parameters.
language plpgsql stable
as $$
begin
    return query
        with counted as (
            -- A group without a SessionId is named by its address and app too: the key hashes
            -- them, and two such groups of one actor whose keys collide must stay apart as well.
            -- Each row's client (its client info, else its app ids) is derived here, once, and only
            -- the columns the cut uses are carried through its sorts (a part of 10M events: 7.14,
            -- 7.22 s against 7.33, 7.47 s).
            select
                c.session_key, c.tenant, c.actor, c.actor_kind, c.source_session_id, c.client_ip, c.mailbox_owner,
                c.access_type, c.operation, c.first_seen, c.last_seen, c.events, c.items, c.bytes,
                coalesce(c.client_info, nullif(c.client_app_id, ''), c.app_id) as client,
                lower(c.actor) as actor_key,
                a.app,
                case when c.source_session_id is null then host(c.client_ip) end as net_address,
                case when c.source_session_id is null then a.app end as net_app
            from mailhound.session_counts as c
            cross join lateral (select mailhound.record_app(c.client_app_id, c.app_id, c.client_info) as app) as a
            where parts = 1 or abs(c.session_key % parts) = part
        ),
        -- Each row's place in its group's time line: the latest end of the rows before it, and the
        -- start of the next.
        ordered as (
            select
                c.*,
                max(c.last_seen) over by_time as ended_before,
                lead(c.first_seen) over by_time as next_start
            from counted as c
            window by_time as (
                partition by c.session_key, c.tenant, c.actor_key, c.source_session_id, c.net_address, c.net_app
                order by c.first_seen
                rows between unbounded preceding and 1 preceding
            )
        ),
        -- A group without a SessionId starts a session at its first row and where a row begins more
        -- than 30 minutes after every row before it has ended. A group is its 64-bit key, its actor
        -- (the case aside) and its SessionId, or without one its address and app: sorting by the key
        -- first keeps the comparisons cheap, and the rest keep apart groups whose keys collide (by
        -- chance, about one in 30 million for a tenant with a million groups, or by an intruder's
        -- aim: lookup3 is no guard), so no one's records join another actor's, another sign-in's or
        -- another address's session. A row that neither joins the rows before it nor is joined by
        -- the next is a session of its own, as most are: it skips the windows and aggregates that
        -- gather a session's rows (10M events: a part's cut 6.7-8.1 s against 10.8-11.8 s).
        bounded as (
            select
                o.*,
                o.source_session_id is null
                    and (o.ended_before is null or o.first_seen - o.ended_before > interval '30 minutes')
                    as starts_session,
                o.next_start is null
                    or (o.source_session_id is null
                        and o.next_start - greatest(o.ended_before, o.last_seen) > interval '30 minutes')
                    as ends_session
            from ordered as o
        ),
        placed as (
            select b.*, (b.starts_session or b.ended_before is null) and b.ends_session as alone
            from bounded as b
        ),
        -- The session each row of a longer session is in: the latest session start so far in its
        -- group, none for a SessionId's group. Rows that begin at the same time are all "so far"
        -- (range, not rows): of such rows the one found to start the session depends on the order
        -- the sort above left them in, which this sort need not repeat.
        started as (
            select
                p.*,
                max(case when p.starts_session then p.first_seen end) over (
                    partition by p.session_key, p.tenant, p.actor_key, p.source_session_id, p.net_address, p.net_app
                    order by p.first_seen
                    range unbounded preceding
                ) as session_start
            from placed as p
            where not p.alone
        ),
        -- Each column's distinct values are aggregates of the session, as are its addresses and
        -- clients with the records of each, for the most common one below. The actor's kind is the
        -- most privileged seen, and what names the group is the same on each of its rows.
        totals as (
            select
                tenant,
                session_key,
                mailhound.session_group(min(actor), min(source_session_id), min(client_ip), min(app))
                    as session_group,
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
                array_agg(client_ip) filter (where client_ip is not null) as address_list,
                array_agg(events) filter (where client_ip is not null) as address_records,
                coalesce(array_agg(distinct client_ip) filter (where client_ip is not null), '{}') as client_ips,
                array_agg(client) filter (where client is not null) as client_list,
                array_agg(events) filter (where client is not null) as client_records,
                coalesce(array_agg(distinct client) filter (where client is not null), '{}') as clients,
                coalesce(array_agg(distinct lower(mailbox_owner)) filter (where mailbox_owner is not null), '{}')
                    as mailbox_owners,
                coalesce(array_agg(distinct access_type) filter (where access_type is not null), '{}')
                    as access_types,
                coalesce(array_agg(distinct operation) filter (where operation is not null), '{}') as operations
            from started
            group by session_key, tenant, actor_key, source_session_id, net_address, net_app, session_start
            union all
            -- The same of a session of one row.
            select
                tenant, session_key,
                mailhound.session_group(actor, source_session_id, client_ip, app),
                actor, actor_kind, source_session_id, first_seen, last_seen, events::integer, items::bigint,
                least(bytes, 9223372036854775807)::bigint, null, null,
                case when client_ip is null then '{}' else array[client_ip] end,
                null, null,
                case when client is null then '{}' else array[client] end,
                case when mailbox_owner is null then '{}' else array[lower(mailbox_owner)] end,
                case when access_type is null then '{}' else array[access_type] end,
                case when operation is null then '{}' else array[operation] end
            from placed
            where alone
        )
        -- The most common address and client, the least of equally common ones, nulls left out (as
        -- mode()), counted only where the session has more than one: most have one, and counting
        -- each row's share in windows sorted every row of a longer session twice (a part of 30M
        -- events: 3.6-3.7 s against 4.5-4.6 s; with every session counted, 5.0 s).
        select
            t.tenant,
            left(md5(t.tenant || '|' || t.session_group || '|'
                || case when t.source_session_id is null then t.first_seen::text else '' end), 16),
            t.session_group, t.actor, t.actor_kind,
            case when cardinality(t.client_ips) > 1 then (
                select u.address from unnest(t.address_list, t.address_records) as u(address, records)
                group by u.address order by sum(u.records) desc, u.address limit 1
            ) else t.client_ips[1] end,
            t.client_ips,
            case when cardinality(t.clients) > 1 then (
                select u.client from unnest(t.client_list, t.client_records) as u(client, records)
                group by u.client order by sum(u.records) desc, u.client limit 1
            ) else t.clients[1] end,
            t.source_session_id, t.first_seen, t.last_seen, t.events, t.items, t.bytes,
            t.mailbox_owners, t.access_types, t.operations, t.session_key, t.clients
        from totals as t;
end
$$;

comment on function mailhound.cut_sessions(integer, integer) is
    'The sessions cut from the rows counted in mailhound.session_counts: of every group counted, or with parts > 1 only of the groups whose key modulo parts is part.';
