-- function: mailhound.visible_tenants() returns text[]
-- what:     The tenants the current role may see through the analyst views: null for every tenant
--           (superusers, the mailhound schema's owner and its members, the operator roles
--           mailhound_loader, mailhound_detector and mailhound_admin and their members, roles
--           bound to '*'), else
--           the tenants bound to the role or to a role it belongs to (none bound: an empty array).
-- reads:    mailhound.tenant_access (row security lets a role see only its own bindings), only for
--           roles that do not see every tenant by role
-- writes:   nothing
-- callers:  every analyst view, in a sub-select evaluated once per query

-- PL/pgSQL, so the roles that see every tenant never read the bindings: on Citus a detector's
-- query held to one tenant runs on that tenant's worker, where reading the bindings (a reference
-- table) would be a distributed query inside a distributed query, which Citus refuses.
create or replace function mailhound.visible_tenants() returns text[]
language plpgsql stable
as $$
begin
    if (select rolsuper from pg_catalog.pg_roles where rolname = current_user)
        or pg_catalog.pg_has_role(
            current_user, (select nspowner from pg_catalog.pg_namespace where nspname = 'mailhound'), 'member')
        or exists (
            select from pg_catalog.pg_roles as r
            where r.rolname in ('mailhound_loader', 'mailhound_detector', 'mailhound_admin')
                and pg_catalog.pg_has_role(current_user, r.oid, 'member'))
    then
        return null;
    end if;
    if exists (select 1 from mailhound.tenant_access as a where a.tenant = '*') then
        return null;
    end if;
    return coalesce((select array_agg(distinct a.tenant) from mailhound.tenant_access as a), '{}');
end
$$;

comment on function mailhound.visible_tenants() is
    'Tenants the current role sees through the analyst views: null for all, else those bound to it in mailhound.tenant_access.';
