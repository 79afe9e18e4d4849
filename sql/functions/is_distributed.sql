-- function: mailhound.is_distributed(target regclass) returns boolean
-- what:     Whether Citus keeps the table on its workers (distributed or a reference table); false
--           where Citus is not installed.
-- reads:    pg_catalog.pg_dist_partition, when there is one
-- writes:   nothing
-- callers:  refresh_statistics, summarize_new_records: the coordinator can neither sample nor
--           summarize what its workers hold
--
-- Through EXECUTE: the catalog table exists only where Citus is installed.

create or replace function mailhound.is_distributed(target regclass) returns boolean
language plpgsql stable
set search_path = pg_catalog, pg_temp
as $$
declare
    distributed boolean := false;
begin
    if to_regclass('pg_catalog.pg_dist_partition') is not null then
        execute 'select exists (select from pg_catalog.pg_dist_partition where logicalrelid = $1)'
            into distributed using target;
    end if;
    return distributed;
end
$$;

comment on function mailhound.is_distributed(regclass) is
    'Whether Citus keeps the table on its workers (distributed or reference); false without Citus.';
