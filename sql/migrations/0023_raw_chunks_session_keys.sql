-- A lean events table (issue 21). Measured with COPY of 300k stored events into copies of the
-- table (2026-12-01, 2 cores at a third of their usual speed): 10.4 s as it was, 6.4 s without the
-- raw text and the long text keys, with the raw records packed apart in 0.8 s more; stored bytes per
-- event 2,339 before, about 1,100 after.
--
-- 1. The raw record moves out of each row into mailhound.raw_chunks: ingest packs the raw texts of
--    one tenant's consecutive records into chunks of about 16 KB, which lz4 compresses about three
--    and a half times (a single record of 1.5 KB stayed below the size PostgreSQL compresses on its
--    own, or compressed poorly alone). A row keeps its chunk and where in it its text lies. The
--    analyst views still show raw, read from the chunk. Reading one record reads its whole chunk:
--    64 KB chunks compressed a little better (351 bytes an event against 436) but made reading
--    every record's text 3.7 times slower.
-- 2. The generated session_group text (about 65 bytes a row, and two indexes keyed on it) becomes
--    session_key, a 64-bit hash of the tenant and that text. Sessions keep the text and gain the key.

create sequence mailhound.raw_chunk_runs start 1;

comment on sequence mailhound.raw_chunk_runs is
    'One number a loading run: a run names its chunks (number << 32) + 0, 1, 2 ... Run 0 is the chunks migration 0023 made of records stored before.';

create table mailhound.raw_chunks (
    tenant text not null,
    chunk_id bigint not null,
    first_at timestamptz not null,
    last_at timestamptz not null,
    body text not null,
    primary key (tenant, chunk_id)
);

comment on table mailhound.raw_chunks is
    'The raw records of events and web requests, verbatim, packed by ingest into chunks of about 16 KB of one tenant''s records so they compress; a row names its chunk and where its text lies (raw_chunk, raw_start, raw_length). The analyst views show each record''s text as raw.';
comment on column mailhound.raw_chunks.tenant is 'Tenant of every record in the chunk.';
comment on column mailhound.raw_chunks.chunk_id is 'The chunk''s number: (loading run << 32) + its place in the run (mailhound.raw_chunk_runs).';
comment on column mailhound.raw_chunks.first_at is 'Earliest occurred_at of the records in the chunk.';
comment on column mailhound.raw_chunks.last_at is 'Latest occurred_at of the records in the chunk: mailhound prune deletes a chunk once every record in it is older than the cut.';
comment on column mailhound.raw_chunks.body is 'The records'' raw texts one after another, with nothing between them; substr(body, raw_start, raw_length) is one record.';

do $$
begin
    if exists (select from pg_settings where name = 'default_toast_compression' and 'lz4' = any(enumvals)) then
        alter table mailhound.raw_chunks alter column body set compression lz4;
    end if;
end
$$;

-- Records stored before: each tenant's, in file order, in chunks of about 16 KB as ingest makes them.
alter table mailhound.events
    add column raw_chunk bigint, add column raw_start integer, add column raw_length integer;
alter table mailhound.web_requests
    add column raw_chunk bigint, add column raw_start integer, add column raw_length integer;

create temp table raw_placement on commit drop as
with stored as (
    select 'e' as kind, ctid as row_ctid, tenant, occurred_at, raw, source_file, source_offset from mailhound.events
    union all
    select 'w', ctid, tenant, occurred_at, raw, source_file, source_offset from mailhound.web_requests
),
numbered as (
    select s.*,
        (sum(octet_length(s.raw)) over (
            partition by s.tenant order by s.kind, s.source_file, s.source_offset, s.row_ctid
        ) - octet_length(s.raw)) / 16384 as chunk_id
    from stored as s
)
select n.kind, n.row_ctid, n.tenant, n.chunk_id, n.occurred_at, n.raw,
    (sum(length(n.raw)) over (
        partition by n.tenant, n.chunk_id order by n.kind, n.source_file, n.source_offset, n.row_ctid
    ) - length(n.raw) + 1)::integer as raw_start,
    length(n.raw) as raw_length
from numbered as n;

insert into mailhound.raw_chunks (tenant, chunk_id, first_at, last_at, body)
select tenant, chunk_id, min(occurred_at), max(occurred_at), string_agg(raw, '' order by raw_start)
from raw_placement
group by tenant, chunk_id;

update mailhound.events as e
set raw_chunk = p.chunk_id, raw_start = p.raw_start, raw_length = p.raw_length
from raw_placement as p
where p.kind = 'e' and e.ctid = p.row_ctid;

update mailhound.web_requests as w
set raw_chunk = p.chunk_id, raw_start = p.raw_start, raw_length = p.raw_length
from raw_placement as p
where p.kind = 'w' and w.ctid = p.row_ctid;

alter table mailhound.events
    alter column raw_chunk set not null, alter column raw_start set not null, alter column raw_length set not null;
alter table mailhound.web_requests
    alter column raw_chunk set not null, alter column raw_start set not null, alter column raw_length set not null;

comment on column mailhound.events.raw_chunk is 'The mailhound.raw_chunks chunk (with tenant) holding the record''s raw text.';
comment on column mailhound.events.raw_start is 'Where the raw text starts in the chunk''s body, in characters from 1.';
comment on column mailhound.events.raw_length is 'The raw text''s length in characters.';
comment on column mailhound.web_requests.raw_chunk is 'The mailhound.raw_chunks chunk (with tenant) holding the log line.';
comment on column mailhound.web_requests.raw_start is 'Where the log line starts in the chunk''s body, in characters from 1.';
comment on column mailhound.web_requests.raw_length is 'The log line''s length in characters.';

-- Session keys. The text is mailhound.session_group()'s; a generated column cannot call a function
-- that a later install replaces, so the expression is written out here.
alter table mailhound.events add column session_key bigint generated always as (
    hashtextextended(
        tenant || '|' || coalesce(lower(actor), '') || '|'
            || case
                when source_session_id is not null then 'sid|' || source_session_id
                else 'net|' || coalesce(host(client_ip), '') || '|'
                    || coalesce(nullif(client_app_id, ''), nullif(app_id, ''), client_info, '')
            end,
        0)
) stored;

comment on column mailhound.events.session_key is
    'The record''s session group as a 64-bit hash of the tenant and mailhound.session_group() of its actor, SessionId, or address and app: the records of one group, cut at 30-minute gaps, are its sessions.';

alter table mailhound.sessions add column session_key bigint;
alter table mailhound.session_parts add column session_key bigint;
update mailhound.sessions set session_key = hashtextextended(tenant || '|' || session_group, 0);
alter table mailhound.sessions alter column session_key set not null;
alter table mailhound.session_parts alter column session_key set not null;
comment on column mailhound.sessions.session_key is
    'The group''s key as mailhound.events.session_key holds it: a 64-bit hash of the tenant and session_group.';
comment on column mailhound.session_parts.session_key is
    'The group''s key as mailhound.events.session_key holds it: a 64-bit hash of the tenant and session_group.';

drop index mailhound.sessions_group_time;
drop index mailhound.sessions_long_group_time;
create index sessions_group_time on mailhound.sessions (session_key, first_seen, last_seen);
create index sessions_long_group_time on mailhound.sessions (session_key, first_seen)
    where last_seen - first_seen > interval '1 day';

alter table mailhound.rebuild_groups drop constraint rebuild_groups_pkey;
alter table mailhound.rebuild_groups drop column session_group;
alter table mailhound.rebuild_groups add column session_key bigint not null;
alter table mailhound.rebuild_groups add primary key (tenant, session_key);
comment on column mailhound.rebuild_groups.session_key is 'The group''s key (mailhound.events.session_key).';

-- The analyst views that read the columns dropped below take the new ones first, showing the same
-- columns, so analysts' own views on them stay; the next install gives them their current text.
-- Their definitions as stored are rewritten: a join on session_group joins on session_key, and a
-- record's raw is read from its chunk.
do $$
declare
    view_name regclass;
begin
    for view_name in
        select distinct r.ev_class::regclass
        from pg_depend as d
        join pg_rewrite as r on r.oid = d.objid
        where d.classid = 'pg_rewrite'::regclass
            and d.refobjid in ('mailhound.events'::regclass, 'mailhound.web_requests'::regclass)
            and r.ev_class in (
                select c.oid from pg_class as c join pg_namespace as n on n.oid = c.relnamespace
                where n.nspname = 'analyst')
    loop
        execute format('create or replace view %s as %s', view_name, regexp_replace(regexp_replace(
            pg_get_viewdef(view_name),
            '\m(\w+)\.session_group\M', '\1.session_key', 'g'),
            '\m(\w+)\.raw\M',
            '(select substr(c.body, \1.raw_start, \1.raw_length) from mailhound.raw_chunks as c where c.tenant = \1.tenant and c.chunk_id = \1.raw_chunk) as raw',
            'g'));
    end loop;
end
$$;

-- The old columns go, and with session_group the three indexes keyed on it. Without the tenant
-- (the key hashes it in), each entry is 16 bytes of key instead of the tenant and the text.
alter table mailhound.events drop column raw, drop column session_group;
alter table mailhound.web_requests drop column raw;

create index events_session_key on mailhound.events (session_key, occurred_at);
create index events_machine_identities on mailhound.events (session_key, occurred_at)
    where actor_kind in ('system', 'app');
create index events_syncs on mailhound.events (session_key, occurred_at) where access_type = 'Sync';
