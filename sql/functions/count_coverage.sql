-- function: mailhound.count_coverage() returns void
-- what:     Adds the records stored since the last count to the coverage counts (every record
--           when mailhound.coverage_counts is empty, as after a prune).
-- reads:    mailhound.events, mailhound.coverage_counts, and mailhound.web_requests through
--           mailhound.add_fresh_coverage()
-- writes:   mailhound.file_days, mailhound.mailbox_read_logging, mailhound.coverage_counts, through
--           mailhound.add_fresh_coverage()
-- callers:  refresh_blind_windows; detect, beside the detectors on a connection of its own

-- Each count reads the rows stored between the last count's snapshot and one taken first, and
-- records that snapshot: across counts each row is added exactly once, though the statements read
-- under snapshots of their own. The events are read once, counted by file, day and mailbox into a
-- temporary table, from which both counts are added (mailhound.add_fresh_coverage): a fresh
-- database's first count, which read every record beside its first full run, took 11.8-12.2 s of a
-- core at 10M events reading them once for each count, and 7.6-7.9 s reading them once. The table
-- is dropped at the end, so a second count in the same transaction makes it again. (One statement
-- with two inserting CTEs would do without the table; Citus runs no such statement over
-- distributed tables.) EXECUTE plans the read for the snapshots at hand: a generic plan would scan
-- every record.
create or replace function mailhound.count_coverage() returns void
language plpgsql
-- A row a file, day and mailbox: 273k at 10M events, which a hash holds in memory.
set work_mem = '256MB'
as $$
declare
    since pg_snapshot;
    upto pg_snapshot := pg_current_snapshot();
begin
    select counted into since from mailhound.coverage_counts;
    if since is null then
        truncate mailhound.file_days, mailhound.mailbox_read_logging;
    end if;
    execute $count$
        create temporary table coverage_fresh as
        select tenant, source_file, (occurred_at at time zone 'UTC')::date as day, mailbox_owner,
            count(*) as records, bool_or(operation = 'MailItemsAccessed') as logs_reads
        from mailhound.events
        where ($1::pg_snapshot is null or mailhound.stored_after(loaded_txid, $1))
            and not mailhound.stored_after(loaded_txid, $2)
        group by tenant, source_file, day, mailbox_owner
    $count$ using since, upto;
    perform mailhound.add_fresh_coverage(since, upto);
end;
$$;

comment on function mailhound.count_coverage() is
    'Adds the records stored since the last count to mailhound.file_days and mailhound.mailbox_read_logging (all records when mailhound.coverage_counts is empty); run by refresh_blind_windows().';
