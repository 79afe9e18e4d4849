-- function: mailhound.most_common(items anyarray) returns anyelement
-- what:     The most frequent non-null value of an array; the least of those as frequent (as mode() does).
-- reads:    its argument
-- writes:   nothing
-- callers:  session_rows

create or replace function mailhound.most_common(items anyarray) returns anyelement
language sql immutable
as $$
    select v from unnest(items) as v where v is not null group by v order by count(*) desc, v limit 1
$$;

comment on function mailhound.most_common(anyarray) is
    'The most frequent non-null value of the array, the least of equally frequent ones; null when none.';
