-- Readers bound to tenants. An MSSP keeps many customers in one database: the NOLOGIN group role
-- mailhound_reader selects on the analyst views only, and a login granted it (mailhound grant
-- reader ROLE --tenant T) sees through them the rows of its tenants and nothing of the others:
-- every analyst view filters by mailhound.visible_tenants(), ranks are counted among the visible
-- sessions, and views of data no tenant owns (file checkpoints, detection runs) show a bound reader
-- nothing. The binding table has row security, so a role reads only its own bindings.

create table mailhound.tenant_access (
    role_name name not null,
    tenant text not null,
    granted_at timestamptz not null default now(),
    primary key (role_name, tenant)
);

comment on table mailhound.tenant_access is
    'Which tenants each role sees through the analyst views (mailhound grant reader ROLE --tenant T); * for all.';
comment on column mailhound.tenant_access.role_name is 'A login or group role; members of it see these tenants too.';
comment on column mailhound.tenant_access.tenant is 'A tenant (mailhound.events.tenant), or * for every tenant.';
comment on column mailhound.tenant_access.granted_at is 'When the binding was made (wall clock).';

alter table mailhound.tenant_access enable row level security;
create policy own_bindings on mailhound.tenant_access for select
    using (pg_catalog.pg_has_role(current_user, role_name, 'member'));

-- The group role; a database user without CREATEROLE leaves it to an administrator. Roles belong
-- to the cluster: databases migrated side by side may both find it missing, and one creates it.
do $$
begin
    if not exists (select from pg_catalog.pg_roles where rolname = 'mailhound_reader') then
        if (select rolsuper or rolcreaterole from pg_catalog.pg_roles where rolname = current_user) then
            begin
                create role mailhound_reader nologin;
            exception when duplicate_object or unique_violation then
                null;
            end;
        else
            raise notice 'mailhound: role mailhound_reader not created (no CREATEROLE here); an administrator can run: create role mailhound_reader nologin';
        end if;
    end if;
end
$$;
