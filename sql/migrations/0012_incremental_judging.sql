-- Incremental judging: an incremental detect re-judges only the sessions that new records can
-- change and keeps the findings of the others, and coverage adds up what new records bring
-- instead of counting every record again. Both make a run after one more day of logs cost about
-- that day, not the whole history.

alter table mailhound.detection_runs add column judged_from timestamptz;

comment on column mailhound.detection_runs.judged_from is
    'Sessions beginning at or after this time were judged by this run; earlier sessions kept the findings of earlier runs. -infinity: every session was judged; infinity: no session was new.';
comment on column mailhound.detection_runs.findings is 'Findings standing after the run (suppressed ones and those kept from earlier runs included).';

-- Set by detect for the run; a detector run alone in psql judges every session.
create function mailhound.judged_from() returns timestamptz
language sql stable
as $$ select coalesce(nullif(current_setting('mailhound.judged_from', true), '')::timestamptz, '-infinity') $$;

comment on function mailhound.judged_from() is
    'Sessions beginning at or after this time are judged: the setting mailhound.judged_from (set by an incremental detect), else -infinity (every session).';

-- The day a judged session falls on, less the baseline window and that day itself.
create function mailhound.history_from() returns timestamptz
language sql stable
as $$ select mailhound.judged_from() - (mailhound.baseline_days() + 1) * interval '1 day' $$;

comment on function mailhound.history_from() is
    'Earliest session a baseline of a judged session can read: judged_from() less baseline_days() + 1 days.';

create index sessions_first_seen on mailhound.sessions (first_seen);

-- Web requests remember the transaction that stored them too, so new web logs from days already
-- judged send those days back to the detectors.
alter table mailhound.web_requests add column loaded_txid bigint;
alter table mailhound.web_requests alter column loaded_txid set default (pg_current_xact_id()::text::bigint);
create index web_requests_loaded_txid on mailhound.web_requests using brin (loaded_txid);

comment on column mailhound.web_requests.loaded_txid is
    'Transaction that stored the row (pg_current_xact_id): detect re-judges the days newer rows fall on.';

-- A row stored by a transaction the snapshot could not see. The xmin bound lets the block range
-- index on loaded_txid skip old rows; the visibility test then keeps transactions that committed
-- before the snapshot out, even when another database of the cluster held xmin back. The planner
-- inlines it, so the bound still reaches the index.
create function mailhound.stored_after(loaded_txid bigint, since pg_snapshot) returns boolean
language sql immutable
as $$
    select loaded_txid >= pg_snapshot_xmin(since)::text::bigint
        and not pg_visible_in_snapshot(loaded_txid::text::xid8, since)
$$;

comment on function mailhound.stored_after(bigint, pg_snapshot) is
    'True for a row whose loaded_txid is a transaction the snapshot could not see: stored after it.';

-- Earliest time of a record stored by a transaction the snapshot could not see; null when none.
create function mailhound.changed_from(since pg_snapshot) returns timestamptz
language sql stable
as $$
    select least(
        (select min(occurred_at) from mailhound.events where mailhound.stored_after(loaded_txid, since)),
        (select min(occurred_at) from mailhound.web_requests where mailhound.stored_after(loaded_txid, since))
    )
$$;

comment on function mailhound.changed_from(pg_snapshot) is
    'Earliest occurred_at of the events and web requests stored by transactions the snapshot could not see; null when there are none.';

-- The throttle detector and the coverage refresh find throttled records without reading the rest.
create index events_throttled on mailhound.events (tenant, occurred_at) where is_throttled;

create table mailhound.file_days (
    tenant text not null,
    source_file text not null,
    day date not null,
    records bigint not null,
    primary key (tenant, source_file, day)
);

comment on table mailhound.file_days is
    'Records stored from each input file on each UTC day (events and web requests), kept up to date by mailhound.count_coverage(): coverage reads these counts instead of the records.';
comment on column mailhound.file_days.tenant is 'Tenant of the records.';
comment on column mailhound.file_days.source_file is 'Input file that stored them (mailhound.file_checkpoints.path).';
comment on column mailhound.file_days.day is 'UTC day the records happened on.';
comment on column mailhound.file_days.records is 'Records stored.';

create table mailhound.mailbox_read_logging (
    tenant text not null,
    mailbox text not null,
    logs_reads boolean not null,
    primary key (tenant, mailbox)
);

comment on table mailhound.mailbox_read_logging is
    'Every mailbox named by a record, and whether any record of it is a MailItemsAccessed read; kept up to date by mailhound.count_coverage().';
comment on column mailhound.mailbox_read_logging.tenant is 'Tenant of the mailbox.';
comment on column mailhound.mailbox_read_logging.mailbox is 'Mailbox owner, lower-case; empty for records that name none.';
comment on column mailhound.mailbox_read_logging.logs_reads is 'True when the data holds a MailItemsAccessed record for it.';

create table mailhound.coverage_counts (
    singleton boolean primary key default true check (singleton),
    counted pg_snapshot not null
);

comment on table mailhound.coverage_counts is
    'Which transactions'' records mailhound.file_days and mailhound.mailbox_read_logging hold: one row; none means count every record again (after a prune).';
comment on column mailhound.coverage_counts.singleton is 'Always true: the table holds one row.';
comment on column mailhound.coverage_counts.counted is 'Snapshot of the last count: records of transactions it could not see are counted next time.';

-- Adds the records stored since the last count (every record when there is none). One statement
-- counts the rows and records the snapshot it read them under, so across counts each row is added
-- exactly once. EXECUTE plans it for the snapshot at hand: a generic plan would scan every record.
create function mailhound.count_coverage() returns void
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

-- As in 0009, reading the kept counts instead of every record. Its temporary file_days, which
-- refresh_coverage() (0010) also reads, now copies mailhound.file_days.
create or replace function mailhound.refresh_blind_windows() returns bigint
language plpgsql
as $$
declare
    found bigint;
begin
    perform mailhound.count_coverage();
    truncate mailhound.blind_windows;

    -- The kept counts, where 0009 counted every record; refresh_coverage() (0010) reads them here too.
    create temp table if not exists file_days (
        tenant text not null, source_file text not null, day date not null, records bigint not null
    ) on commit drop;
    truncate file_days;
    insert into file_days select tenant, source_file, day, records from mailhound.file_days;

    -- The throttle: one window per mailbox and day, covering the 24 hours after the first hit.
    insert into mailhound.blind_windows (tenant, kind, subject, starts_at, ends_at, detail)
    select
        tenant, 'throttled', lower(mailbox_owner), min(occurred_at), min(occurred_at) + interval '24 hours',
        format('%s throttled MailItemsAccessed record(s): the mailbox logs less than was read until %s',
            count(*), mailhound.utc_text(min(occurred_at) + interval '24 hours'))
    from mailhound.events
    where is_throttled and mailbox_owner is not null
    group by tenant, lower(mailbox_owner), (occurred_at at time zone 'UTC')::date;

    insert into mailhound.blind_windows (tenant, kind, subject, starts_at, ends_at, detail)
    select
        f.tenant, 'search-cap', c.path, min(f.day)::timestamp at time zone 'UTC',
        (max(f.day) + 1)::timestamp at time zone 'UTC',
        format('%s records, exactly the %s-row cap of an audit search: later records of that search are missing; split the time range and export again',
            c.records, c.records)
    from mailhound.file_checkpoints as c
    join file_days as f on f.source_file = c.path
    where c.records in (5000, 50000) and c.format in ('ual-jsonl', 'ual-json', 'purview-csv')
    group by f.tenant, c.path, c.records;

    -- Days a source is missing, in runs of four days or more (a long weekend's silence is
    -- normal), at the edges of the tenant's data (a source that starts late or stops early) and
    -- inside it, for sources that write continuously: on most days, or ten records a day or more
    -- when they write. Admin audit logs only note changes, so their silence means nothing.
    insert into mailhound.blind_windows (tenant, kind, subject, starts_at, ends_at, detail)
    -- The three shapes of the unified audit log are one source: a record loaded from one is a
    -- duplicate in the others.
    with format_days as (
        select
            f.tenant,
            case when c.format in ('ual-jsonl', 'ual-json', 'purview-csv') then 'unified-audit-log' else c.format end
                as format,
            f.day,
            sum(f.records) as records
        from file_days as f
        join mailhound.file_checkpoints as c on c.path = f.source_file
        group by 1, 2, 3
    ),
    spans as (
        select tenant, min(day) as first_day, max(day) as last_day from file_days group by tenant
    ),
    continuous as (
        select fd.tenant, fd.format
        from format_days as fd join spans as s using (tenant)
        group by fd.tenant, fd.format, s.first_day, s.last_day
        having count(*) >= (s.last_day - s.first_day + 1) / 2.0 or avg(fd.records) >= 10
    ),
    bounded as (
        select fd.tenant, fd.format, fd.day,
            lag(fd.day) over (partition by fd.tenant, fd.format order by fd.day) as previous_day,
            lead(fd.day) over (partition by fd.tenant, fd.format order by fd.day) as next_day,
            s.first_day, s.last_day
        from format_days as fd
        join spans as s using (tenant)
        join continuous using (tenant, format)
    ),
    gaps as (
        select tenant, format, first_day as gap_from, day - 1 as gap_until
        from bounded where previous_day is null and day - first_day >= 4
        union all
        select tenant, format, day + 1, last_day from bounded where next_day is null and last_day - day >= 4
        union all
        select tenant, format, previous_day + 1, day - 1 from bounded where day - previous_day > 4
    )
    select
        tenant, 'source-gap', format, gap_from::timestamp at time zone 'UTC',
        (gap_until + 1)::timestamp at time zone 'UTC',
        format('no %s records from %s to %s (%s day(s)) although other sources have data', format, gap_from,
            gap_until, gap_until - gap_from + 1)
    from gaps;

    -- Mandiant's check: mailboxes the data names (as the mailbox of any record) that never log a
    -- read, in tenants that have MailItemsAccessed records at all.
    insert into mailhound.blind_windows (tenant, kind, subject, starts_at, ends_at, detail)
    select m.tenant, 'no-mail-access-audit', m.mailbox, null, null,
        'no MailItemsAccessed record for this mailbox in the data: reads of it are invisible (no advanced auditing licence, audit bypass, or an on-premises mailbox)'
    from mailhound.mailbox_read_logging as m
    where m.mailbox like '%@%'
        and not m.logs_reads
        and exists (
            select 1 from mailhound.mailbox_read_logging as other where other.tenant = m.tenant and other.logs_reads
        );

    insert into mailhound.blind_windows (tenant, kind, subject, starts_at, ends_at, detail)
    select f.tenant, 'audit-tampering', coalesce(s.actor, 'an unnamed identity'),
        (f.evidence -> 'changes' -> 0 ->> 'at')::timestamptz, null,
        'auditing changed from here on: ' || f.reason
    from mailhound.findings as f
    join mailhound.sessions as s using (tenant, session_id)
    where f.detector_id = 'audit-tampering';

    select count(*) into found from mailhound.blind_windows;
    analyze mailhound.blind_windows;
    return found;
end;
$$;

