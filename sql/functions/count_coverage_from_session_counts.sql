-- function: mailhound.count_coverage_from_session_counts(counted pg_snapshot) returns boolean
-- what:     Counts the coverage from scratch out of mailhound.session_counts, when it has never
--           been counted (mailhound.coverage_counts empty): the counts then hold every event the
--           snapshot counted saw, and no others. The web requests are read for it. Returns
--           whether it counted; when not, mailhound.count_coverage() adds what is new.
-- reads:    mailhound.session_counts, mailhound.web_requests, mailhound.coverage_counts
-- writes:   mailhound.file_days, mailhound.mailbox_read_logging, mailhound.coverage_counts
-- callers:  detect --full, beside the sessions' move, once its parts have counted every event
--           under one snapshot
--
-- A fresh database's first full run counted every event a second time for the coverage, beside
-- the sessions' own count: 7.6 s of a core at 10M events, against a fraction of a second for the
-- counts' rows, a row a file, UTC day and set of a session's values.

create or replace function mailhound.count_coverage_from_session_counts(counted pg_snapshot) returns boolean
language plpgsql
as $$
begin
    if exists (select from mailhound.coverage_counts) then
        return false;
    end if;
    truncate mailhound.file_days, mailhound.mailbox_read_logging;
    insert into mailhound.file_days (tenant, source_file, day, records)
    select tenant, source_file, day, sum(records)
    from (
        select tenant, source_file, (first_seen at time zone 'UTC')::date as day, events as records
        from mailhound.session_counts
        union all
        select tenant, source_file, (occurred_at at time zone 'UTC')::date, 1
        from mailhound.web_requests
        where not mailhound.stored_after(loaded_txid, counted)
    ) as fresh
    group by tenant, source_file, day;
    insert into mailhound.mailbox_read_logging (tenant, mailbox, logs_reads)
    select tenant, coalesce(lower(mailbox_owner), ''), bool_or(operation = 'MailItemsAccessed')
    from mailhound.session_counts
    group by tenant, coalesce(lower(mailbox_owner), '');
    insert into mailhound.coverage_counts (singleton, counted) values (true, counted);
    return true;
end;
$$;

comment on function mailhound.count_coverage_from_session_counts(pg_snapshot) is
    'Counts mailhound.file_days and mailhound.mailbox_read_logging from scratch out of mailhound.session_counts, when the coverage has never been counted; run by detect --full.';
