-- function: mailhound.refresh_mailbox_touches() returns bigint
-- what:     Writes mailhound.mailbox_touches from the sessions: every touch (judged_from()
--           -infinity), or those of the sessions from mailhound.judged_from() on, the rest kept;
--           returns the touches written.
-- reads:    analyst.other_mailbox_touches (the sessions that reach another mailbox, through the
--           partial index sessions_touching_others), mailhound.judged_from()
-- writes:   mailhound.mailbox_touches
-- callers:  detect, once it knows what it judges; prune, once old sessions are gone
--
-- Shared-mailbox tagging and three detectors start from the same touches and the same "touched
-- before" ranking; writing them once a run spares each of them the scattered reads of the sessions
-- and the sort. A 64-bit key for (tenant, actor, mailbox) keeps that sort a comparison of numbers.
-- An incremental run cuts again only sessions that begin at or after judged_from(), so the
-- touches before it stand; a new touch's previous one may be among them.

create or replace function mailhound.refresh_mailbox_touches() returns bigint
language plpgsql
as $$
declare
    written bigint;
begin
    -- Every row written again: emptied at once rather than row by row, the table is then written
    -- without its WAL where wal_level is minimal (10M events, every day, in psql: 1.16 and 1.35 s
    -- against 1.54 and 1.76 s). Readers wait for the run's commit rather than read the rows it replaces.
    if mailhound.judged_from() = '-infinity' and not mailhound.is_distributed('mailhound.mailbox_touches') then
        truncate mailhound.mailbox_touches;
    else
        -- The time as a subquery, computed once: Citus takes no stable function in distributed DML.
        delete from mailhound.mailbox_touches where first_seen >= (select mailhound.judged_from());
    end if;
    insert into mailhound.mailbox_touches (
        tenant, session_id, actor, actor_key, actor_kind, operations, mailbox, first_seen, last_seen, touched_before
    )
    select
        t.tenant, t.session_id, t.actor, t.actor_key, t.actor_kind, t.operations, t.mailbox, t.first_seen,
        t.last_seen, coalesce(t.touched_before, e.latest)
    from (
        select
            o.*,
            lag(o.first_seen) over (
                partition by hashtextextended(o.tenant || '|' || o.actor_key || '|' || o.mailbox, 0)
                order by o.first_seen, o.session_id
            ) as touched_before
        from analyst.other_mailbox_touches as o
        where o.first_seen >= (select mailhound.judged_from())
    ) as t
    left join (
        select tenant, actor_key, mailbox, max(first_seen) as latest
        from mailhound.mailbox_touches
        group by tenant, actor_key, mailbox
    ) as e on e.tenant = t.tenant and e.actor_key = t.actor_key and e.mailbox = t.mailbox and t.touched_before is null;
    get diagnostics written = row_count;
    perform mailhound.refresh_statistics_if_moved('mailhound.mailbox_touches', written);
    return written;
end
$$;

comment on function mailhound.refresh_mailbox_touches() is
    'Writes mailhound.mailbox_touches from the sessions: every touch of another mailbox, with the same identity''s previous touch of it; in an incremental detect, those from judged_from() on. Run by detect and prune.';
