-- function: mailhound.count_session_events(since pg_snapshot, first_block bigint, last_block bigint) returns bigint
-- what:     Counts records into mailhound.session_counts, one row per distinct set of the values a
--           session gathers: every record in the events table's blocks from first_block up to,
--           not including, last_block (since null; a null bound leaves that end open), or every
--           record stored by a transaction the snapshot could not see (since given). Returns the
--           rows added.
-- reads:    mailhound.events, through mailhound.count_session_rows()
-- writes:   mailhound.session_counts
-- callers:  detect --full (one call a range of blocks, each on a connection of its own),
--           rebuild_sessions
--
-- A range of blocks is a TID range scan: parts of a full run read disjoint pages. New records are
-- found through the block range index on loaded_txid; their groups' earlier records are counted
-- afterwards (mailhound.count_group_history), so a set of values may have two rows, one new and
-- one earlier, as it may have one in each of two ranges of blocks: the cut adds such rows up.

create or replace function mailhound.count_session_events(since pg_snapshot, first_block bigint, last_block bigint)
returns bigint
language plpgsql
as $$
begin
    return mailhound.count_session_rows(case
        when since is not null then
            format('mailhound.events as e where mailhound.stored_after(e.loaded_txid, %L::pg_snapshot)', since)
        else
            'mailhound.events as e where true'
            || case when first_block is not null then format(' and e.ctid >= %L::tid', format('(%s,0)', first_block)) else '' end
            || case when last_block is not null then format(' and e.ctid < %L::tid', format('(%s,0)', last_block)) else '' end
    end);
end
$$;

comment on function mailhound.count_session_events(pg_snapshot, bigint, bigint) is
    'Counts records into mailhound.session_counts, one row per distinct set of the values a session gathers: the events in a range of the table''s blocks (since null), or those stored by transactions the snapshot could not see. Run by mailhound detect.';
