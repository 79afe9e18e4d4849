-- Which on-premises server wrote each record, so coverage can tell a server whose logs were not
-- collected; and shared mailboxes, tagged from the data so that breadth detectors do not count a
-- team's shared inbox as a victim.

alter table mailhound.events add column origin_server text;

comment on column mailhound.events.origin_server is
    'On-premises server that wrote the record (OriginatingServer without its build, lower-case host name); null for cloud records.';

-- Only on-premises records carry a server: the coverage check reads them without scanning the rest.
create index events_origin_server on mailhound.events (tenant, origin_server, source_file) where origin_server is not null;

alter table mailhound.blind_windows drop constraint blind_windows_kind_check;
alter table mailhound.blind_windows add constraint blind_windows_kind_check
    check (kind in ('throttled', 'search-cap', 'source-gap', 'server-gap', 'no-mail-access-audit', 'audit-tampering'));

comment on column mailhound.blind_windows.kind is
    'throttled (a mailbox hit the MailItemsAccessed throttle: the 24 h after log less than happened), search-cap (a file holds exactly 5,000 or 50,000 records: the export was cut), source-gap (four or more days a source is missing within the data''s span: unified-audit-log, mailbox-audit-csv, admin-audit-csv, httpproxy or iis), server-gap (an on-premises server has no records of a format that other servers have), no-mail-access-audit (a mailbox with no MailItemsAccessed record at all), audit-tampering (auditing switched off or bypassed).';

-- refresh_blind_windows() plus what needs the server column: servers missing a format that
-- other servers have, and capped exports whose records were all loaded before from other files
-- (they add no rows of their own, so refresh_blind_windows() cannot place them in a tenant).
create function mailhound.refresh_coverage() returns bigint
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

    insert into mailhound.blind_windows (tenant, kind, subject, starts_at, ends_at, detail)
    select t.tenant, 'search-cap', c.path, null, null,
        format('%s records, exactly the %s-row cap of an audit search, all loaded before from other files: later records of that search may be missing; split the time range and export again',
            c.records, c.records)
    from mailhound.file_checkpoints as c
    cross join (
        select distinct f.tenant
        from file_days as f
        join mailhound.file_checkpoints as ual on ual.path = f.source_file
        where ual.format in ('ual-jsonl', 'ual-json', 'purview-csv')
    ) as t
    where c.records in (5000, 50000) and c.format in ('ual-jsonl', 'ual-json', 'purview-csv')
        and not exists (select 1 from file_days as own where own.source_file = c.path);

    select count(*) into found from mailhound.blind_windows;
    return found;
end;
$$;

comment on function mailhound.refresh_coverage() is
    'Rebuilds mailhound.blind_windows (refresh_blind_windows() plus server gaps and capped exports of records loaded before); run by mailhound detect and mailhound coverage.';

create table mailhound.shared_mailboxes (
    tenant text not null,
    mailbox text not null,
    readers text[] not null,
    first_seen timestamptz not null,
    last_seen timestamptz not null,
    primary key (tenant, mailbox)
);

comment on table mailhound.shared_mailboxes is
    'Mailboxes that behave as shared: their owner never acts in the data and two or more people read them, each on two or more days. Rebuilt by every detection run; breadth detectors list them apart instead of counting them as victims.';
comment on column mailhound.shared_mailboxes.tenant is 'Tenant of the mailbox.';
comment on column mailhound.shared_mailboxes.mailbox is 'The mailbox (lower-case owner UPN, as in sessions.mailbox_owners).';
comment on column mailhound.shared_mailboxes.readers is 'People who read it on two or more days (lower-case).';
comment on column mailhound.shared_mailboxes.first_seen is 'First session of those readers touching it (UTC).';
comment on column mailhound.shared_mailboxes.last_seen is 'Last session of those readers touching it (UTC).';

-- A team's shared inbox has no owner who signs in, and the same few people read it day after day.
-- An intruder's sweep touches a mailbox once or twice, and its owner is in the data reading mail.
create function mailhound.refresh_shared_mailboxes() returns bigint
language sql
as $$
    delete from mailhound.shared_mailboxes;
    with touches as (
        select s.tenant, o.owner as mailbox, lower(s.actor) as reader, s.first_seen, s.last_seen
        from mailhound.sessions as s
        cross join lateral unnest(s.mailbox_owners) as o (owner)
        where s.actor is not null and s.actor_kind in ('user', 'delegate', 'admin')
            and o.owner like '%@%' and o.owner <> lower(s.actor)
    ),
    per_reader as (
        select tenant, mailbox, reader,
            count(distinct (first_seen at time zone 'UTC')::date) as days,
            min(first_seen) as first_seen, max(last_seen) as last_seen
        from touches
        group by tenant, mailbox, reader
    ),
    candidates as (
        select tenant, mailbox, array_agg(reader order by reader) filter (where days >= 2) as readers,
            min(first_seen) as first_seen, max(last_seen) as last_seen
        from per_reader
        group by tenant, mailbox
        having count(*) filter (where days >= 2) >= 2
    )
    insert into mailhound.shared_mailboxes (tenant, mailbox, readers, first_seen, last_seen)
    select c.tenant, c.mailbox, c.readers, c.first_seen, c.last_seen
    from candidates as c
    where not exists (
        select 1 from mailhound.sessions as own where own.tenant = c.tenant and lower(own.actor) = c.mailbox
    );
    analyze mailhound.shared_mailboxes;
    select count(*) from mailhound.shared_mailboxes;
$$;

comment on function mailhound.refresh_shared_mailboxes() is
    'Rebuilds mailhound.shared_mailboxes from the sessions; run by mailhound detect before the detectors.';
