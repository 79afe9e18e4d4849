-- What each of mailhound's group roles may do (roles: migrations 0018 and 0019). Run again
-- whenever definitions are installed, so a view dropped and created again, or a table a later
-- migration adds, keeps its grants. A role an administrator has not created yet is skipped.
do $$
declare
    present text[] := array(
        select rolname::text from pg_catalog.pg_roles
        where rolname in ('mailhound_reader', 'mailhound_loader', 'mailhound_detector', 'mailhound_admin'));
    group_role text;
    member_of text;
begin
    -- Every role: both schemas, its own tenant bindings, and which migrations and definitions are
    -- installed, which every command reads first.
    foreach group_role in array present loop
        execute format('grant usage on schema analyst, mailhound to %I', group_role);
        execute format(
            'grant select on mailhound.tenant_access, mailhound.schema_migrations, mailhound.installed_sql to %I',
            group_role);
    end loop;

    -- Readers: the analyst views (they filter by the reader's tenants), nothing more.
    if 'mailhound_reader' = any(present) then
        grant select on all tables in schema analyst to mailhound_reader;
    end if;

    -- Loaders add records and checkpoints; they read back what they need to find a duplicate,
    -- and the quarantine and checkpoints through the analyst views. Nothing of detection.
    if 'mailhound_loader' = any(present) then
        grant select, insert on mailhound.events, mailhound.web_requests, mailhound.quarantine,
            mailhound.raw_chunks
            to mailhound_loader;
        grant usage on sequence mailhound.raw_chunk_runs to mailhound_loader;
        grant select, insert, update on mailhound.file_checkpoints, mailhound.pulled_content,
            mailhound.pull_checkpoints to mailhound_loader;
        grant select on analyst.quarantine, analyst.file_checkpoints, analyst.pull_checkpoints to mailhound_loader;
        grant execute on function mailhound.defer_session_index(bigint), mailhound.restore_deferred_indexes(),
            mailhound.hold_events_for_load(), mailhound.fill_session_keys()
            to mailhound_loader;
    end if;

    -- Detectors read the records and own everything detection writes: sessions, findings, chains,
    -- runs, coverage, the allow-list, the network owners; statistics through refresh_statistics.
    if 'mailhound_detector' = any(present) then
        grant select on mailhound.events, mailhound.web_requests, mailhound.quarantine,
            mailhound.file_checkpoints, mailhound.raw_chunks
            to mailhound_detector;
        grant select, insert, update, delete, truncate on mailhound.sessions, mailhound.session_parts, mailhound.session_counts,
            mailhound.findings, mailhound.session_scores, mailhound.account_scores, mailhound.chains, mailhound.detection_runs, mailhound.detectors,
            mailhound.rebuild_groups, mailhound.rebuilt_sessions, mailhound.coverage_counts, mailhound.file_days,
            mailhound.mailbox_read_logging, mailhound.blind_windows, mailhound.shared_mailboxes,
            mailhound.tenant_spans, mailhound.mailbox_touches, mailhound.actor_days, mailhound.allowlist,
            mailhound.session_item_counts, mailhound.network_owners
            to mailhound_detector;
        grant usage, select on all sequences in schema mailhound to mailhound_detector;
        grant select on all tables in schema analyst to mailhound_detector;
        grant execute on function mailhound.refresh_statistics(regclass[]), mailhound.sessions_from_parts(),
            mailhound.restore_deferred_indexes(), mailhound.fill_session_keys(), mailhound.summarize_new_records()
            to mailhound_detector;
    end if;

    -- Admins: every role above, and deleting records (prune). Migrations, grants and the schema
    -- stay with the owner.
    if 'mailhound_admin' = any(present) then
        grant select, insert, update, delete, truncate on all tables in schema mailhound to mailhound_admin;
        grant usage, select on all sequences in schema mailhound to mailhound_admin;
        grant select on all tables in schema analyst to mailhound_admin;
        grant execute on function mailhound.refresh_statistics(regclass[]), mailhound.sessions_from_parts(),
            mailhound.defer_session_index(bigint), mailhound.restore_deferred_indexes(), mailhound.fill_session_keys(),
            mailhound.summarize_new_records()
            to mailhound_admin;
        for member_of in
            select r from unnest(present) as r
            where r <> 'mailhound_admin' and not pg_catalog.pg_has_role('mailhound_admin', r, 'member')
        loop
            -- Memberships belong to the cluster: a database migrated beside this one may grant it first.
            begin
                execute format('grant %I to mailhound_admin', member_of);
            exception when unique_violation or duplicate_object then
                null;
            end;
        end loop;
    end if;
end
$$;
