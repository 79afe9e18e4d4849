-- function: mailhound.add_fresh_coverage(since pg_snapshot, upto pg_snapshot) returns void
-- what:     Adds the events counted in pg_temp.coverage_fresh (a row a tenant, file, UTC day and
--           mailbox owner, with its records and whether any is a MailItemsAccessed read) and the
--           web requests stored after since (all when null) and seen by upto to the coverage
--           counts, records upto as the last count's snapshot, and drops the temporary table.
-- reads:    pg_temp.coverage_fresh, mailhound.web_requests
-- writes:   mailhound.file_days, mailhound.mailbox_read_logging, mailhound.coverage_counts
-- callers:  count_coverage (the events read from the records), count_coverage_from_session_counts
--           (the events read from a full run's session counts)
--
-- One way of adding for both counts of the events. EXECUTE plans the web requests' read for the
-- snapshots at hand: a generic plan would scan every request.

create or replace function mailhound.add_fresh_coverage(since pg_snapshot, upto pg_snapshot) returns void
language plpgsql
as $$
begin
    execute $count$
        insert into mailhound.file_days (tenant, source_file, day, records)
        select tenant, source_file, day, sum(records)
        from (
            select tenant, source_file, day, records from pg_temp.coverage_fresh
            union all
            select tenant, source_file, (occurred_at at time zone 'UTC')::date, 1
            from mailhound.web_requests
            where ($1::pg_snapshot is null or mailhound.stored_after(loaded_txid, $1))
                and not mailhound.stored_after(loaded_txid, $2)
        ) as fresh
        group by tenant, source_file, day
        on conflict (tenant, source_file, day) do update set records = file_days.records + excluded.records
    $count$ using since, upto;
    insert into mailhound.mailbox_read_logging (tenant, mailbox, logs_reads)
    select tenant, coalesce(lower(mailbox_owner), ''), bool_or(logs_reads)
    from pg_temp.coverage_fresh
    group by tenant, coalesce(lower(mailbox_owner), '')
    on conflict (tenant, mailbox) do update
        set logs_reads = mailbox_read_logging.logs_reads or excluded.logs_reads;
    drop table pg_temp.coverage_fresh;
    insert into mailhound.coverage_counts (singleton, counted) values (true, upto)
    on conflict (singleton) do update set counted = excluded.counted;
end;
$$;

comment on function mailhound.add_fresh_coverage(pg_snapshot, pg_snapshot) is
    'Adds the events counted in pg_temp.coverage_fresh and the web requests stored between two snapshots to the coverage counts; run by count_coverage and count_coverage_from_session_counts.';
