-- function: mailhound.refresh_tenant_spans() returns void
-- what:     Writes each tenant's span of data (first and last session, records, sessions) and
--           its people's working hours to mailhound.tenant_spans, counting every session.
-- reads:    mailhound.sessions
-- writes:   mailhound.tenant_spans
-- callers:  detect --full, once the sessions are cut (incremental runs keep the counts by
--           difference in rebuild_sessions); prune, once old sessions are gone
--
-- Every record is in one session, so the sessions give the spans without reading the records.

create or replace function mailhound.refresh_tenant_spans() returns void
language plpgsql
as $$
begin
    delete from mailhound.tenant_spans;
    insert into mailhound.tenant_spans (tenant, data_from, data_until, events, sessions)
    select tenant, min(first_seen), max(last_seen), sum(events), count(*)
    from mailhound.sessions
    group by tenant;
    perform mailhound.refresh_working_hours();
end
$$;

comment on function mailhound.refresh_tenant_spans() is
    'Writes mailhound.tenant_spans from the sessions: each tenant''s first and last session, records, sessions and working hours. Run by detect and prune.';
