-- function: mailhound.refresh_statistics_if_moved(target regclass, written bigint) returns void
-- what:     Samples a mailhound table for the planner (refresh_statistics) when the rows just
--           written to it are more than a twentieth of what it holds.
-- reads:    the table's row count as last sampled (pg_class.reltuples)
-- writes:   its planner statistics, through mailhound.refresh_statistics
-- callers:  refresh_mailbox_touches, refresh_actor_days
--
-- A few new rows among many do not move the statistics the readers' plans rest on, and sampling
-- a large table in every incremental run would cost more than the run's own writes. The rows are
-- those the last sample counted, not counted again (actor_days at 10M events: 59 ms a run); a
-- table grown since only looks smaller, so it is sampled sooner, and one never sampled (-1) is.

create or replace function mailhound.refresh_statistics_if_moved(target regclass, written bigint) returns void
language plpgsql
as $$
declare
    stored real;
begin
    select c.reltuples into stored from pg_class as c where c.oid = target;
    if written * 20 > stored then
        perform mailhound.refresh_statistics(target);
    end if;
end
$$;

comment on function mailhound.refresh_statistics_if_moved(regclass, bigint) is
    'Analyzes a mailhound table (refresh_statistics) when the rows just written are more than a twentieth of it.';
