-- Least privilege for operators. Beside mailhound_reader (0018), three NOLOGIN group roles that
-- mailhound grant loader|detector|admin LOGIN gives to login roles; what each may do is granted in
-- sql/views/98_grants.sql, run whenever definitions are installed, so tables added later are
-- covered too:
--   mailhound_loader    ingest and the worker's loading: adds events, web requests, quarantined
--                       records and file checkpoints; reads the quarantine and checkpoints; cannot
--                       touch detectors, findings, the allow-list or detection runs;
--   mailhound_detector  detect, coverage, runs, the allow-list and the network owners table;
--   mailhound_admin     both, reading, and deleting (prune). Migrations and grants stay with the
--                       database's owner.
-- Roles belong to the cluster: created when the migrating user may, race-safely, as in 0018.
do $$
declare
    wanted text;
begin
    foreach wanted in array array['mailhound_loader', 'mailhound_detector', 'mailhound_admin'] loop
        if not exists (select from pg_catalog.pg_roles where rolname = wanted) then
            if (select rolsuper or rolcreaterole from pg_catalog.pg_roles where rolname = current_user) then
                begin
                    execute format('create role %I nologin', wanted);
                exception when duplicate_object or unique_violation then
                    null;
                end;
            else
                raise notice 'mailhound: role % not created (no CREATEROLE here); an administrator can run: create role % nologin',
                    wanted, wanted;
            end if;
        end if;
    end loop;
end
$$;
