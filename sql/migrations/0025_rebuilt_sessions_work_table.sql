-- The new cut of an incremental rebuild, compared with the stored sessions, becomes a table of the
-- schema instead of a temporary table mailhound.rebuild_sessions() created: Citus distributes a
-- schema table by tenant beside the sessions, and refuses to delete from a distributed table
-- using a temporary one.

-- Unlogged: it holds rows only inside a detection run's transaction.
create unlogged table mailhound.rebuilt_sessions (like mailhound.sessions);

comment on table mailhound.rebuilt_sessions is
    'Scratch space of an incremental detect: the sessions of the groups with new events, cut again, filled and emptied by mailhound.rebuild_sessions() in the run''s transaction. Empty between runs.';

do $$
declare
    described record;
begin
    for described in
        select a.attname, d.description
        from pg_attribute as a
        join pg_description as d on d.objoid = a.attrelid and d.objsubid = a.attnum
        where a.attrelid = 'mailhound.sessions'::regclass and a.attnum > 0 and not a.attisdropped
    loop
        execute format(
            'comment on column mailhound.rebuilt_sessions.%I is %L', described.attname,
            'As mailhound.sessions.' || described.attname || ': ' || described.description);
    end loop;
end
$$;
