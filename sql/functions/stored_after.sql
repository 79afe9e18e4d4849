-- function: mailhound.stored_after(loaded_txid bigint, since pg_snapshot) returns boolean
-- what:     Whether a row was stored by a transaction the snapshot could not see.
-- reads:    its arguments
-- writes:   nothing
-- callers:  rebuild_sessions, changed_from, count_coverage

-- The xmin bound lets the block range index on loaded_txid skip old rows; the visibility test
-- then keeps transactions that committed before the snapshot out, even when another database of
-- the cluster held xmin back. The planner inlines it, so the bound still reaches the index.
create or replace function mailhound.stored_after(loaded_txid bigint, since pg_snapshot) returns boolean
language sql immutable
as $$
    select loaded_txid >= pg_snapshot_xmin(since)::text::bigint
        and not pg_visible_in_snapshot(loaded_txid::text::xid8, since)
$$;

comment on function mailhound.stored_after(bigint, pg_snapshot) is
    'True for a row whose loaded_txid is a transaction the snapshot could not see: stored after it.';
