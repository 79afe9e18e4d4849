-- function: mailhound.refresh_tenant_spans() returns void
-- what:     Writes each tenant's span of data (first and last session, records, sessions) and
--           its people's working hours to mailhound.tenant_spans, and how many sessions read
--           each number of items to mailhound.session_item_counts, counting every session.
-- reads:    mailhound.sessions
-- writes:   mailhound.tenant_spans, mailhound.session_item_counts
-- callers:  detect --full, once the sessions are cut (incremental runs keep the counts by
--           difference in rebuild_sessions); prune, once old sessions are gone
--
-- Every record is in one session, so the sessions give the spans without reading the records.
-- One read of the sessions gives both tables: the spans are sums over the item counts' groups.

create or replace function mailhound.refresh_tenant_spans() returns void
language plpgsql
as $$
begin
    delete from mailhound.tenant_spans;
    delete from mailhound.session_item_counts;
    with by_items as (
        select tenant, items, min(first_seen) as data_from, max(last_seen) as data_until, sum(events) as events,
            count(*) as sessions
        from mailhound.sessions
        group by tenant, items
    ),
    counted as (
        insert into mailhound.session_item_counts (tenant, items, sessions)
        select tenant, items, sessions from by_items
    )
    insert into mailhound.tenant_spans (tenant, data_from, data_until, events, sessions)
    select tenant, min(data_from), max(data_until), sum(events), sum(sessions)
    from by_items
    group by tenant;
    perform mailhound.refresh_working_hours();
end
$$;

comment on function mailhound.refresh_tenant_spans() is
    'Writes mailhound.tenant_spans from the sessions: each tenant''s first and last session, records, sessions and working hours; and mailhound.session_item_counts. Run by detect and prune.';
