-- function: mailhound.rebuild_sessions(since pg_snapshot) returns bigint
-- what:     Rebuilds every session (since null) or the sessions of the groups with events stored
--           by a transaction the snapshot could not see, from the latest session each group's new
--           events can change; returns the sessions built. In the latter case only sessions whose
--           cut changed are written: a session no longer cut is deleted, one cut again under the
--           same id is updated in place (keeping its findings and score until the run judges it
--           again), and a new one is added; the others keep their findings, which an incremental
--           run does not judge again.
-- reads:    mailhound.events, through mailhound.count_session_events(),
--           mailhound.count_group_history() and mailhound.cut_sessions(); mailhound.detection_runs
-- writes:   mailhound.sessions, mailhound.findings and mailhound.session_scores (dropped with their
--           sessions; a score's copies of its session's values updated with it),
--           mailhound.session_counts, mailhound.rebuild_groups, mailhound.rebuilt_sessions, and in
--           the latter case mailhound.session_item_counts and the records, sessions and span of
--           mailhound.tenant_spans
-- callers:  detect (incremental runs, and full runs without a second connection)

create or replace function mailhound.rebuild_sessions(since pg_snapshot) returns bigint
language plpgsql
as $$
declare
    rebuilt bigint;
begin
    if since is null then
        truncate mailhound.sessions, mailhound.findings, mailhound.session_scores, mailhound.session_counts;
        perform mailhound.count_session_events(null, null, null);
        insert into mailhound.sessions select * from mailhound.cut_sessions(0, 1);
        get diagnostics rebuilt = row_count;
        truncate mailhound.session_counts;
        return rebuilt;
    end if;

    -- The tenants' spans and counts below change by difference. A full run commits its sessions
    -- before it writes their totals (detect's publishing): should it have failed in between, the
    -- totals are those of the sessions before it, and are counted again from the sessions first.
    if exists (
        select from mailhound.detection_runs as r
        where r.mode = 'full' and r.judged_from is not null and r.sessions is null
            and r.run_id > coalesce((
                select max(ok.run_id) from mailhound.detection_runs as ok where ok.status = 'succeeded'
            ), 0)
    ) then
        perform mailhound.refresh_tenant_spans();
    end if;
    -- A delete, not a truncate: the parts of a full run name this table in their plans, and a
    -- truncate's exclusive lock would wait for them.
    delete from mailhound.rebuild_groups;
    -- The new records first, each read once (the block range index finds them), then the groups
    -- they join from their counts rather than from the records.
    delete from mailhound.session_counts;
    perform mailhound.count_session_events(since, null, null);
    -- Each group with new events, and where to cut it again from: the sessions that ended before
    -- the one its earliest new event can join keep their cut (a gap of more than 30 minutes, or a
    -- SessionId, separates them from it, and no new event comes before it). A key is cut again
    -- from one point for all its groups (actor and SessionId, which the cut tells apart): the
    -- earliest of its groups' points, or its first event when a session of another group spans
    -- that point, as only where keys collide can one.
    -- One probe of the group-time index a group: joined, the planner hashes every session.
    insert into mailhound.rebuild_groups (tenant, session_key, cut_from)
    select n.tenant, n.session_key, min(coalesce(cut.first_seen, '-infinity'))
    from (
        select tenant, session_key, lower(actor) as actor, source_session_id, min(first_seen) as earliest
        from mailhound.session_counts
        -- The number first: a sort by it seldom compares the texts (a day of 10M events, read from
        -- the records before they were counted first: 0.14 s against 0.22 s with the tenant first).
        group by session_key, tenant, lower(actor), source_session_id
    ) as n
    cross join lateral (
        select max(s.first_seen) as first_seen
        from mailhound.sessions as s
        where s.session_key = n.session_key and s.tenant = n.tenant and s.first_seen <= n.earliest
            and lower(s.actor) is not distinct from n.actor
            and s.source_session_id is not distinct from n.source_session_id
    ) as cut
    group by n.session_key, n.tenant;
    update mailhound.rebuild_groups as g
    set cut_from = '-infinity'
    where g.cut_from > '-infinity'
        and exists (
            select 1 from mailhound.sessions as s
            where s.session_key = g.session_key and s.tenant = g.tenant
                and s.first_seen < g.cut_from and s.last_seen >= g.cut_from - interval '30 minutes'
        );
    perform mailhound.refresh_statistics('mailhound.rebuild_groups');

    -- The new cut, compared with the stored one below (a table of the schema, so Citus can
    -- distribute it beside the sessions; one run at a time fills it): the groups' earlier records
    -- join the new ones' counts.
    perform mailhound.count_group_history(since);
    delete from mailhound.rebuilt_sessions;
    insert into mailhound.rebuilt_sessions select * from mailhound.cut_sessions(0, 1);
    get diagnostics rebuilt = row_count;
    perform mailhound.refresh_statistics('mailhound.rebuilt_sessions');

    -- The tenants' records and sessions, and how many sessions read each number of items, are
    -- kept by difference rather than counted again from every session (0.5 s each at 10M events).
    -- Between full runs records are only added, so a span only widens. A session cut again under
    -- the same id (more records, the same start) is updated in place, with its score's copies of
    -- its values: it keeps its findings and score until the run judges it again, so that readers
    -- of a run that publishes the sessions before judging them (detect) never see it unjudged.
    with gone as (
        delete from mailhound.sessions as s
        using mailhound.rebuild_groups as g
        where s.session_key = g.session_key and s.tenant = g.tenant and s.first_seen >= g.cut_from
            and not exists (
                select 1 from mailhound.rebuilt_sessions as r where r.tenant = s.tenant and r.session_id = s.session_id
            )
        returning s.tenant, s.events, s.items
    ),
    changed as (
        update mailhound.sessions as s
        set (session_group, actor, actor_kind, client_ip, client_ips, client, source_session_id, first_seen, last_seen,
            events, items, bytes, mailbox_owners, access_types, operations, session_key, clients)
            = (c.session_group, c.actor, c.actor_kind, c.client_ip, c.client_ips, c.client, c.source_session_id,
                c.first_seen, c.last_seen, c.events, c.items, c.bytes, c.mailbox_owners, c.access_types, c.operations,
                c.session_key, c.clients)
        from (
            select r.*, stored.events as stored_events, stored.items as stored_items
            from mailhound.rebuilt_sessions as r
            join mailhound.sessions as stored on stored.tenant = r.tenant and stored.session_id = r.session_id
            where row(r.*) is distinct from row(stored.*)
        ) as c
        where s.tenant = c.tenant and s.session_id = c.session_id
        returning s.tenant, s.session_id, s.actor, s.first_seen, s.last_seen, s.events, s.items, s.mailbox_owners,
            c.stored_events, c.stored_items
    ),
    added as (
        insert into mailhound.sessions
        select r.* from mailhound.rebuilt_sessions as r
        where not exists (select 1 from mailhound.sessions as s where s.tenant = r.tenant and s.session_id = r.session_id)
        returning tenant, first_seen, last_seen, events, items
    ),
    rescored as (
        update mailhound.session_scores as sc
        set (items, first_seen, actor, mailbox_owners) = (c.items, c.first_seen, c.actor, c.mailbox_owners)
        from changed as c
        where sc.tenant = c.tenant and sc.session_id = c.session_id
    ),
    -- What each session written changes in the counts: a session gone takes its records and items
    -- away, a new one adds its own, and one cut again trades its stored ones for its new ones.
    moved as (
        select tenant, items, -1 as sessions, -events as events, null::timestamptz as first_seen,
            null::timestamptz as last_seen
        from gone
        union all
        select tenant, stored_items, -1, -stored_events, null, null from changed
        union all
        select tenant, items, 1, events, first_seen, last_seen from changed
        union all
        select tenant, items, 1, events, first_seen, last_seen from added
    ),
    counted as (
        insert into mailhound.session_item_counts as ic (tenant, items, sessions)
        select tenant, items, sum(sessions) from moved
        group by tenant, items
        having sum(sessions) <> 0
        on conflict (tenant, items) do update set sessions = ic.sessions + excluded.sessions
    )
    -- A tenant with sessions gone has a span already, which they leave as it is.
    insert into mailhound.tenant_spans as t (tenant, data_from, data_until, events, sessions)
    select tenant, coalesce(min(first_seen), 'infinity'), coalesce(max(last_seen), '-infinity'), sum(events),
        sum(sessions)
    from moved
    group by tenant
    on conflict (tenant) do update set
        data_from = least(t.data_from, excluded.data_from),
        data_until = greatest(t.data_until, excluded.data_until),
        events = t.events + excluded.events,
        sessions = t.sessions + excluded.sessions;
    delete from mailhound.session_item_counts where sessions = 0;
    delete from mailhound.rebuild_groups;
    delete from mailhound.session_counts;
    delete from mailhound.rebuilt_sessions;
    return rebuilt;
end
$$;

comment on function mailhound.rebuild_sessions(pg_snapshot) is
    'Rebuilds mailhound.sessions from mailhound.events: all of them (null), or the groups with rows stored by transactions this snapshot could not see; returns the sessions built. Run by mailhound detect.';
