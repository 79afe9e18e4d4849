-- function: mailhound.refresh_blind_windows() returns bigint
-- what:     Rebuilds mailhound.blind_windows from the kept coverage counts, the throttled
--           records, the file checkpoints and the audit-tampering findings; returns the windows.
-- reads:    mailhound.file_days, mailhound.mailbox_read_logging, mailhound.events (throttled
--           records, through a partial index), mailhound.file_checkpoints, mailhound.findings,
--           mailhound.sessions
-- writes:   mailhound.blind_windows; the counts, through mailhound.count_coverage()
-- callers:  refresh_coverage

create or replace function mailhound.refresh_blind_windows() returns bigint
language plpgsql
as $$
declare
    found bigint;
begin
    perform mailhound.count_coverage();
    truncate mailhound.blind_windows;

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
    join mailhound.file_days as f on f.source_file = c.path
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
        from mailhound.file_days as f
        join mailhound.file_checkpoints as c on c.path = f.source_file
        group by 1, 2, 3
    ),
    spans as (
        select tenant, min(day) as first_day, max(day) as last_day from mailhound.file_days group by tenant
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
    perform mailhound.refresh_statistics('mailhound.blind_windows');
    return found;
end;
$$;

comment on function mailhound.refresh_blind_windows() is
    'Rebuilds mailhound.blind_windows from the coverage counts, throttled records, checkpoints and audit-tampering findings; run by refresh_coverage().';
