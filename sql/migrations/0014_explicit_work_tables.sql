-- Functions and views are no longer replayed from migrations: they are installed from
-- sql/functions and sql/views whenever their text changes, and this table remembers what is
-- installed, so a command whose SQL is unchanged takes no lock on them. The set of session groups
-- an incremental rebuild works on becomes a table of the schema instead of a temporary table one
-- function creates and another reads.

create table mailhound.installed_sql (
    kind text primary key check (kind in ('functions', 'views')),
    sha256 text not null,
    files text[] not null,
    installed_at timestamptz not null default now()
);

comment on table mailhound.installed_sql is
    'What mailhound migrate installed from sql/functions and sql/views: one row per kind, with the SHA-256 of the files'' names and texts. A command reinstalls only when it differs.';
comment on column mailhound.installed_sql.kind is 'functions or views.';
comment on column mailhound.installed_sql.sha256 is 'SHA-256 of every file name and text of that folder, in name order.';
comment on column mailhound.installed_sql.files is 'The files installed, in the order they ran.';
comment on column mailhound.installed_sql.installed_at is 'When they were installed (wall clock).';

-- Unlogged: it holds rows only inside a detection run's transaction.
create unlogged table mailhound.rebuild_groups (
    tenant text not null,
    session_group text not null,
    primary key (tenant, session_group)
);

comment on table mailhound.rebuild_groups is
    'Scratch space of an incremental detect: the session groups with events new to the run, filled and emptied by mailhound.rebuild_sessions() in the run''s transaction. Empty between runs.';
comment on column mailhound.rebuild_groups.tenant is 'Tenant of the group.';
comment on column mailhound.rebuild_groups.session_group is 'The grouping key (mailhound.events.session_group).';

-- mailhound.session_parts was made like mailhound.sessions without its column comments: each
-- column means what the same column of sessions means.
do $$
declare
    source record;
begin
    for source in
        select a.attname, col_description(a.attrelid, a.attnum) as description
        from pg_attribute as a
        where a.attrelid = 'mailhound.sessions'::regclass and a.attnum > 0 and not a.attisdropped
    loop
        execute format('comment on column mailhound.session_parts.%I is %L', source.attname, source.description);
    end loop;
end
$$;
