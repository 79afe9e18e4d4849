-- function: mailhound.summarize_new_records() returns boolean
-- what:     Summarizes the block ranges of the records' load-order indexes (events_loaded_txid,
--           web_requests_loaded_txid) that were filled since they were last summarized; false when
--           the lock this takes is held (a large load, a vacuum) or the tables are distributed.
-- reads:    mailhound.events, mailhound.web_requests (the pages of ranges not yet summarized)
-- writes:   the two block range indexes
-- callers:  detect, beside the run (its housekeeping)
--
-- A block range index answers "stored after this snapshot" only for the ranges it has summarized:
-- every page of a range without a summary is read, whatever it holds. PostgreSQL summarizes new
-- ranges when it vacuums the table, which autovacuum does after a fifth of the table is new, so
-- the pages of weeks of loads can stay unsummarized, and each incremental run's reads of its new
-- records (the session counts, where the judged days start, the coverage counts) read all of them,
-- as many times as it reads. Summarized once a run, they read the records stored since the last
-- run. 30M events, one day of 333k loaded: the run's last coverage count took 0.41 s before and
-- 0.005 s after the 0.17 s this takes once.
--
-- Summarizing takes the lock vacuum takes (share update exclusive), which the run's own readers
-- and loaders' inserts do not wait for. It waits for it briefly: a load that holds the table
-- (hold_events_for_load) or a vacuum, which summarizes too, keeps it, and this run leaves the
-- ranges to the next one, rather than have autovacuum cancelled for it. On Citus the records lie in
-- the workers' shards, which this does not reach. Only the tables' owner may summarize their
-- indexes, so the function runs as its owner (security definer).

create or replace function mailhound.summarize_new_records() returns boolean
language plpgsql security definer
set search_path = pg_catalog, pg_temp
set lock_timeout = '200ms'
as $$
begin
    if mailhound.is_distributed('mailhound.events') then
        return false;
    end if;
    perform brin_summarize_new_values('mailhound.events_loaded_txid'::regclass);
    perform brin_summarize_new_values('mailhound.web_requests_loaded_txid'::regclass);
    return true;
exception when lock_not_available then
    return false;
end
$$;

comment on function mailhound.summarize_new_records() is
    'Summarizes the block ranges of the events'' and web requests'' load-order indexes filled since they were last summarized, so reads of the records stored after a snapshot read only their pages; false when a load or vacuum holds the tables. Run by mailhound detect.';

revoke execute on function mailhound.summarize_new_records() from public;
