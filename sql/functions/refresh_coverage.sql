-- function: mailhound.refresh_coverage() returns bigint
-- what:     Rebuilds mailhound.blind_windows: refresh_blind_windows() plus what needs the server
--           column (servers missing a format other servers have) and capped exports whose
--           records were all loaded before from other files (they add no rows of their own, so
--           refresh_blind_windows() cannot place them in a tenant); returns the windows.
-- reads:    mailhound.web_requests, mailhound.events (on-premises records, through a partial
--           index), mailhound.file_checkpoints, mailhound.file_days
-- writes:   mailhound.blind_windows, through refresh_blind_windows() and here
-- callers:  detect, mailhound coverage

create or replace function mailhound.refresh_coverage() returns bigint
language plpgsql
as $$
declare
    found bigint;
begin
    perform mailhound.refresh_blind_windows();

    -- Web servers are named by HttpProxy ServerHostName or IIS s-computername (an address when IIS
    -- logged only s-ip: those cannot be matched to a name and are left out). Admin audit logs are
    -- organization-wide, so a server without admin cmdlets is not a gap.
    insert into mailhound.blind_windows (tenant, kind, subject, starts_at, ends_at, detail)
    with server_formats as (
        select distinct tenant, split_part(lower(server), '.', 1) as server, log_kind as format
        from mailhound.web_requests
        where server is not null and server !~ '^[0-9.:]+$'
        union all
        select e.tenant, e.origin_server, c.format
        from (select distinct tenant, origin_server, source_file from mailhound.events where origin_server is not null) as e
        join mailhound.file_checkpoints as c on c.path = e.source_file
        where c.format = 'mailbox-audit-csv'
    ),
    servers as (select distinct tenant, server from server_formats),
    formats as (
        select tenant, format, array_agg(distinct server order by server) as servers
        from server_formats group by tenant, format
    )
    select s.tenant, 'server-gap', s.server || ': ' || f.format, null, null,
        format('no %s records from %s although %s has them: collect that server''s logs, or what happened on it is invisible',
            f.format, s.server, array_to_string(f.servers, ', '))
    from servers as s
    join formats as f using (tenant)
    where not exists (
        select 1 from server_formats as sf where sf.tenant = s.tenant and sf.server = s.server and sf.format = f.format
    );

    -- Uncorrelated subqueries: Citus joins the checkpoints (on the coordinator) to their results,
    -- where it refuses a correlated one over the distributed file_days.
    insert into mailhound.blind_windows (tenant, kind, subject, starts_at, ends_at, detail)
    with ual_tenants as (
        select distinct f.tenant
        from mailhound.file_days as f
        where f.source_file in (
            select ual.path from mailhound.file_checkpoints as ual
            where ual.format in ('ual-jsonl', 'ual-json', 'purview-csv')
        )
    ),
    counted_files as (
        select distinct source_file from mailhound.file_days
    )
    select t.tenant, 'search-cap', c.path, null, null,
        format('%s records, exactly the %s-row cap of an audit search, all loaded before from other files: later records of that search may be missing; split the time range and export again',
            c.records, c.records)
    from mailhound.file_checkpoints as c
    cross join ual_tenants as t
    where c.records in (5000, 50000) and c.format in ('ual-jsonl', 'ual-json', 'purview-csv')
        and c.path not in (select source_file from counted_files);

    select count(*) into found from mailhound.blind_windows;
    return found;
end;
$$;

comment on function mailhound.refresh_coverage() is
    'Rebuilds mailhound.blind_windows (refresh_blind_windows() plus server gaps and capped exports of records loaded before); run by mailhound detect and mailhound coverage.';
