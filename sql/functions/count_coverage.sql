-- function: mailhound.count_coverage() returns void
-- what:     Adds the records stored since the last count to the coverage counts (every record
--           when mailhound.coverage_counts is empty, as after a prune).
-- reads:    mailhound.events, mailhound.web_requests, mailhound.coverage_counts
-- writes:   mailhound.file_days, mailhound.mailbox_read_logging, mailhound.coverage_counts
-- callers:  refresh_blind_windows; detect, beside the detectors on a connection of its own

-- One statement counts the rows and records the snapshot it read them under, so across counts
-- each row is added exactly once. EXECUTE plans it for the snapshot at hand: a generic plan would
-- scan every record.
create or replace function mailhound.count_coverage() returns void
language plpgsql
as $$
declare
    since pg_snapshot;
begin
    select counted into since from mailhound.coverage_counts;
    if since is null then
        truncate mailhound.file_days, mailhound.mailbox_read_logging;
    end if;
    execute $count$
        with fresh_events as materialized (
            select tenant, source_file, (occurred_at at time zone 'UTC')::date as day,
                coalesce(lower(mailbox_owner), '') as mailbox, operation = 'MailItemsAccessed' as is_read
            from mailhound.events
            where $1::pg_snapshot is null or mailhound.stored_after(loaded_txid, $1)
        ),
        fresh_web as (
            select tenant, source_file, (occurred_at at time zone 'UTC')::date as day
            from mailhound.web_requests
            where $1::pg_snapshot is null or mailhound.stored_after(loaded_txid, $1)
        ),
        counted_days as (
            insert into mailhound.file_days (tenant, source_file, day, records)
            select tenant, source_file, day, count(*)
            from (
                select tenant, source_file, day from fresh_events
                union all
                select tenant, source_file, day from fresh_web
            ) as fresh
            group by tenant, source_file, day
            on conflict (tenant, source_file, day) do update set records = file_days.records + excluded.records
        ),
        counted_mailboxes as (
            insert into mailhound.mailbox_read_logging (tenant, mailbox, logs_reads)
            select tenant, mailbox, bool_or(is_read) from fresh_events group by tenant, mailbox
            on conflict (tenant, mailbox) do update
                set logs_reads = mailbox_read_logging.logs_reads or excluded.logs_reads
        )
        insert into mailhound.coverage_counts (singleton, counted) values (true, pg_current_snapshot())
        on conflict (singleton) do update set counted = excluded.counted
    $count$ using since;
end;
$$;

comment on function mailhound.count_coverage() is
    'Adds the records stored since the last count to mailhound.file_days and mailhound.mailbox_read_logging (all records when mailhound.coverage_counts is empty); run by refresh_blind_windows().';
