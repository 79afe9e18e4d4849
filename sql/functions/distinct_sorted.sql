-- function: mailhound.distinct_sorted(items anyarray) returns anyarray
-- what:     The distinct non-null values of an array, in order.
-- reads:    its argument
-- writes:   nothing
-- callers:  session_rows

create or replace function mailhound.distinct_sorted(items anyarray) returns anyarray
language sql immutable
as $$
    select coalesce(array_agg(distinct v order by v) filter (where v is not null), '{}')
    from unnest(items) as v
$$;

comment on function mailhound.distinct_sorted(anyarray) is
    'The distinct non-null values of the array, sorted (an empty array when there are none).';
