-- An incremental detect no longer counts every session for each tenant's records, sessions and
-- span (0.5 s at 10M events): mailhound.rebuild_sessions() adds and takes away those of the
-- sessions it replaces. Counted here once from the sessions, so a database migrated to 0032 with
-- no run since, whose spans were never written, starts from the right figures. Working hours are
-- left to the next run.

insert into mailhound.tenant_spans (tenant, data_from, data_until, events, sessions)
select tenant, min(first_seen), max(last_seen), sum(events), count(*)
from mailhound.sessions
group by tenant
on conflict (tenant) do update set
    data_from = excluded.data_from,
    data_until = excluded.data_until,
    events = excluded.events,
    sessions = excluded.sessions;

delete from mailhound.tenant_spans as t
where not exists (select from mailhound.sessions as s where s.tenant = t.tenant);
