-- function: mailhound.refresh_statistics(variadic tables regclass[])
-- what:     Samples the named mailhound tables for the planner (analyze) as their owner, so a
--           detector or admin role that does not own them still leaves the statistics current
--           (PostgreSQL 15 lets only the owner analyze a table; others get a warning and nothing).
-- reads:    the tables named, which must be in the mailhound schema (others are refused)
-- writes:   their planner statistics (not of tables Citus distributes: its workers sample those)
-- callers:  detect (sessions, findings, chains, events), rebuild_sessions, refresh_blind_windows,
--           refresh_shared_mailboxes, refresh_statistics_if_moved, networks load

create or replace function mailhound.refresh_statistics(variadic tables regclass[]) returns void
language plpgsql security definer
set search_path = pg_catalog, pg_temp
as $$
declare
    target regclass;
begin
    foreach target in array tables loop
        if (select c.relnamespace <> 'mailhound'::regnamespace from pg_class as c where c.oid = target) then
            raise exception 'mailhound.refresh_statistics: % is not a mailhound table', target
                using errcode = '42501';
        end if;
        -- On Citus each worker samples its own shards; the coordinator's analyze of a distributed
        -- or reference table is refused in a transaction that has read one of its shards locally.
        continue when mailhound.is_distributed(target);
        execute format('analyze %s', target);
    end loop;
end
$$;

comment on function mailhound.refresh_statistics(regclass[]) is
    'Analyzes mailhound tables as their owner, for the roles that write them without owning them.';

revoke execute on function mailhound.refresh_statistics(regclass[]) from public;
