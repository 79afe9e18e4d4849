-- The session cut now takes each column's distinct values and most common value as aggregates of
-- the group (array_agg(distinct ...), mode()), and nothing else called these two helpers.

drop function if exists mailhound.most_common(anyarray);
drop function if exists mailhound.distinct_sorted(anyarray);
