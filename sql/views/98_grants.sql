-- What mailhound_reader may read: the analyst views (they filter by the reader's tenants), and in
-- the mailhound schema only its own tenant bindings and which migrations and definitions are
-- installed. Run again whenever the views are installed,
-- so a view dropped and created again keeps its grant.
do $$
begin
    if exists (select from pg_catalog.pg_roles where rolname = 'mailhound_reader') then
        grant usage on schema analyst, mailhound to mailhound_reader;
        grant select on all tables in schema analyst to mailhound_reader;
        grant select on mailhound.tenant_access to mailhound_reader;
        -- What every command reads first: whether the schema is current.
        grant select on mailhound.schema_migrations, mailhound.installed_sql to mailhound_reader;
    end if;
end
$$;
