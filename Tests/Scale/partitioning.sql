-- Tests/Scale/partitioning.sql: what partitioning events by month would buy, on any PostgreSQL:
-- psql -d SCRATCH_DATABASE -f Tests/Scale/partitioning.sql (about 5 minutes and 6 GB; drops its own
-- tables). A table shaped like events' key and session index, once whole and once by month: loads,
-- a dedupe probe, a session lookup and a prune. The README's "Very large single tenants" has the figures.
\timing on
drop table if exists ev_plain, ev_part, src, more, probe cascade;
create table ev_plain (tenant text not null, record_id uuid not null, occurred_at timestamptz not null,
    session_key bigint not null, payload text, primary key (record_id, tenant));
create index ev_plain_session on ev_plain (session_key, occurred_at);
create table ev_part (tenant text not null, record_id uuid not null, occurred_at timestamptz not null,
    session_key bigint not null, payload text, primary key (record_id, tenant, occurred_at)) partition by range (occurred_at);
create index ev_part_session on ev_part (session_key, occurred_at);
create table ev_part_2024_03 partition of ev_part for values from ('2024-03-01') to ('2024-04-01');
create table ev_part_2024_04 partition of ev_part for values from ('2024-04-01') to ('2024-05-01');
create table ev_part_2024_05 partition of ev_part for values from ('2024-05-01') to ('2024-06-01');
create table ev_part_2024_06 partition of ev_part for values from ('2024-06-01') to ('2024-07-01');
create unlogged table src as
    select '5f1c9a2e-3b7d-4c61-9e2a-7d40c1a8e901'::text as tenant, gen_random_uuid() as record_id,
        timestamptz '2024-03-01' + (i::float8 / 3000000) * interval '92 days' as occurred_at,
        (hashint4(i % 40000))::bigint as session_key, repeat(md5(i::text), 14) as payload
    from generate_series(1, 3000000) as i;
create unlogged table more as
    select '5f1c9a2e-3b7d-4c61-9e2a-7d40c1a8e901'::text as tenant, gen_random_uuid() as record_id,
        timestamptz '2024-06-01' + (i::float8 / 1000000) * interval '29 days' as occurred_at,
        (hashint4(i % 40000))::bigint as session_key, repeat(md5(i::text), 14) as payload
    from generate_series(1, 1000000) as i;
checkpoint;
\echo load 3M, plain
insert into ev_plain select * from src;
checkpoint;
\echo load 3M, partitioned
insert into ev_part select * from src;
checkpoint;
\echo one more month (1M), plain
insert into ev_plain select * from more;
checkpoint;
\echo one more month (1M), partitioned
insert into ev_part select * from more;
checkpoint;
vacuum analyze ev_plain; vacuum analyze ev_part;
create unlogged table probe as select record_id from more order by random() limit 20000;
set enable_seqscan = off; set enable_bitmapscan = off; set enable_hashjoin = off; set enable_mergejoin = off;
\echo dedupe probe of 20k ids, plain (key without time)
select count(*) from probe p cross join lateral (select 1 from ev_plain e where e.tenant = '5f1c9a2e-3b7d-4c61-9e2a-7d40c1a8e901' and e.record_id = p.record_id) s;
\echo dedupe probe of 20k ids, partitioned, id alone (every partition)
select count(*) from probe p cross join lateral (select 1 from ev_part e where e.tenant = '5f1c9a2e-3b7d-4c61-9e2a-7d40c1a8e901' and e.record_id = p.record_id) s;
reset enable_seqscan; reset enable_bitmapscan; reset enable_hashjoin; reset enable_mergejoin;
\echo one session group a week back, plain
select count(*) from ev_plain where session_key = hashint4(17) and occurred_at >= '2024-06-20';
\echo one session group a week back, partitioned
select count(*) from ev_part where session_key = hashint4(17) and occurred_at >= '2024-06-20';
\echo prune the first month, plain (delete)
delete from ev_plain where occurred_at < '2024-04-01';
\echo prune the first month, partitioned (detach, drop)
alter table ev_part detach partition ev_part_2024_03;
drop table ev_part_2024_03;
\echo sizes
select pg_size_pretty(pg_total_relation_size('ev_plain')) as plain;
drop table ev_plain, ev_part, src, more, probe;
