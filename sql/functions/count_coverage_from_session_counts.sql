-- function: mailhound.count_coverage_from_session_counts(counted pg_snapshot) returns boolean
-- what:     Counts the coverage from scratch out of mailhound.session_counts, when it has never
--           been counted (mailhound.coverage_counts empty): the counts then hold every event the
--           snapshot counted saw, and no others. The web requests are read for it. Returns
--           whether it counted; when not, mailhound.count_coverage() adds what is new.
-- reads:    mailhound.session_counts, mailhound.coverage_counts, and mailhound.web_requests through
--           mailhound.add_fresh_coverage()
-- writes:   mailhound.file_days, mailhound.mailbox_read_logging, mailhound.coverage_counts, through
--           mailhound.add_fresh_coverage(), as count_coverage() does
-- callers:  detect --full, beside the sessions' move, once its parts have counted every event
--           under one snapshot
--
-- A fresh database's first full run counted every event a second time for the coverage, beside
-- the sessions' own count: 7.6 s of a core at 10M events. The counts' rows, a row a file, UTC day
-- and set of a session's values, are fewer: at 30M events their 1.6M rows took 3.1-4.7 s in psql.

create or replace function mailhound.count_coverage_from_session_counts(counted pg_snapshot) returns boolean
language plpgsql
-- A row a file, day and mailbox: 273k at 10M events, which a hash holds in memory (as count_coverage).
set work_mem = '256MB'
as $$
begin
    if exists (select from mailhound.coverage_counts) then
        return false;
    end if;
    truncate mailhound.file_days, mailhound.mailbox_read_logging;
    -- No row of the counts spans a UTC day: its first record's day is each record's.
    create temporary table coverage_fresh as
    select tenant, source_file, (first_seen at time zone 'UTC')::date as day, mailbox_owner,
        sum(events)::bigint as records, bool_or(operation = 'MailItemsAccessed') as logs_reads
    from mailhound.session_counts
    group by tenant, source_file, day, mailbox_owner;
    perform mailhound.add_fresh_coverage(null, counted);
    return true;
end;
$$;

comment on function mailhound.count_coverage_from_session_counts(pg_snapshot) is
    'Counts mailhound.file_days and mailhound.mailbox_read_logging from scratch out of mailhound.session_counts, when the coverage has never been counted; run by detect --full.';
