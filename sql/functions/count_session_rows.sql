-- function: mailhound.count_session_rows(scoped text) returns bigint
-- what:     Counts the records that scoped selects (a from clause and its conditions, the events
--           named e) into mailhound.session_counts, one row per distinct set of the values a
--           session gathers, file and UTC day; returns the rows added.
-- reads:    mailhound.events, and what scoped names
-- writes:   mailhound.session_counts
-- callers:  count_session_events, count_group_history
--
-- Each record is read once, and the events are never sorted: a hash counts them into one row per
-- distinct set of values (a session of a hundred reads from one address and client becomes a row
-- or two). A record without a SessionId is counted with those of its half hour, for its group is
-- cut where a record comes more than 30 minutes after the one before it, and no two records of a
-- half hour are that far apart. The file and the UTC day are grouped for the coverage, which a full
-- run adds up from the counts (mailhound.count_coverage_from_session_counts). The bins begin at a
-- UTC midnight, whatever the connection's time zone.
--
-- The values are grouped by their digest (mailhound.events.values_digest, which ingest writes),
-- and each row's values are read from one of its records by its place in the table: hashing and
-- comparing the values themselves, about 280 bytes a record, took most of the count (2.5M events
-- in psql: 2.56-2.71 s against 3.39-3.84 s). The digest keeps apart what the actor and SessionId
-- once did as columns of the group: groups whose 64-bit keys collide (an intruder can aim a client
-- text at another group's key) never share a row. Records stored before ingest wrote digests have
-- theirs computed here. Citus gets the values grouped as stored: a worker's row has its place in
-- its shard only.

create or replace function mailhound.count_session_rows(scoped text) returns bigint
language plpgsql
-- The planner takes a range of the table for a few rows and would sort them to count their values;
-- only a hash keeps that count from sorting every event.
set enable_sort = off
as $$
declare
    counted bigint;
    -- What both counts store: the values of a row's group and its counts, as g.
    stored constant text := $stored$
        insert into mailhound.session_counts (
            session_key, tenant, actor_kind, client_ip, client_info, client_app_id, app_id, mailbox_owner,
            access_type, operation, actor, source_session_id, source_file, first_seen, last_seen, events, items,
            bytes)
        select
            g.session_key, g.tenant, g.actor_kind, g.client_ip, g.client_info, g.client_app_id, g.app_id,
            g.mailbox_owner, g.access_type, g.operation, g.actor, g.source_session_id, g.source_file,
            g.first_seen, g.last_seen, g.events, g.items, g.bytes
        $stored$;
    -- The records' counts, and the bin of a record's time that groups them.
    counts constant text :=
        'min(e.occurred_at) as first_seen, max(e.occurred_at) as last_seen, count(*) as events,'
        || ' sum(e.items) as items, sum(e.bytes) as bytes';
    bin constant text := $bin$
        date_bin(
            case when e.source_session_id is null then interval '30 minutes' else interval '1 day' end,
            e.occurred_at, timestamptz '2000-01-01 00:00:00+00')
        $bin$;
begin
    if mailhound.is_distributed('mailhound.events') then
        execute format(
            $count$
            %s
            from (
                select
                    e.session_key, e.tenant, e.actor_kind, e.client_ip, e.client_info, e.client_app_id, e.app_id,
                    e.mailbox_owner, e.access_type, e.operation, e.actor, e.source_session_id, e.source_file, %s
                from %s
                group by e.session_key, e.tenant, e.actor, e.source_session_id, e.actor_kind, e.client_ip,
                    e.client_info, e.client_app_id, e.app_id, e.mailbox_owner, e.access_type, e.operation,
                    e.source_file, %s
            ) as g
            $count$, stored, counts, scoped, bin);
    else
        execute format(
            $count$
            %s
            from (
                select min(e.ctid) as representative, %s
                from %s
                group by e.session_key,
                    coalesce(e.values_digest, mailhound.values_digest_of(
                        e.tenant, e.actor, e.source_session_id, e.actor_kind, e.client_ip, e.client_info,
                        e.client_app_id, e.app_id, e.mailbox_owner, e.access_type, e.operation)),
                    e.source_file, %s
            ) as c
            -- One record by its place, which the planner would otherwise find by hashing the
            -- whole table's places; the limit keeps the look-up from being merged into a join.
            cross join lateral (
                select
                    r.session_key, r.tenant, r.actor_kind, r.client_ip, r.client_info, r.client_app_id, r.app_id,
                    r.mailbox_owner, r.access_type, r.operation, r.actor, r.source_session_id, r.source_file,
                    c.first_seen, c.last_seen, c.events, c.items, c.bytes
                from mailhound.events as r
                where r.ctid = c.representative
                limit 1
            ) as g
            $count$, stored, counts, scoped, bin);
    end if;
    get diagnostics counted = row_count;
    return counted;
end
$$;

comment on function mailhound.count_session_rows(text) is
    'Counts the records a from clause selects (the events named e) into mailhound.session_counts, one row per distinct set of the values a session gathers. Run by mailhound detect.';
