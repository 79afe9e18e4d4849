-- function: mailhound.apply_allowlist() returns bigint
-- what:     Marks each finding with the first allow-list entry in force that matches it, or none;
--           returns how many findings are suppressed.
-- reads:    mailhound.allowlist, mailhound.findings, mailhound.sessions, mailhound.events (app ids)
-- writes:   mailhound.findings.suppressed_by
-- callers:  detect; allow add and allow remove

-- One statement sets every finding's suppression from the entries in force, so removing an entry
-- or letting it expire lifts the suppression as surely as adding one sets it.
create or replace function mailhound.apply_allowlist() returns bigint
language sql
as $$
    with matched as (
        select f.tenant, f.session_id, f.detector_id, (
            select min(a.entry_id)
            from mailhound.allowlist as a
            where a.tenant = f.tenant
                and (a.detector_id is null or a.detector_id = f.detector_id)
                and (a.actor is null or lower(a.actor) = lower(s.actor))
                and (a.client_network is null or s.client_ip <<= a.client_network)
                and (a.expires_at is null or a.expires_at > now())
                and (a.app_id is null or exists (
                    select 1 from mailhound.events as e
                    where e.session_key = s.session_key and e.tenant = s.tenant
                        and e.occurred_at between s.first_seen and s.last_seen
                        and lower(e.actor) is not distinct from lower(s.actor)
                        and e.source_session_id is not distinct from s.source_session_id
                        and (s.source_session_id is not null
                            or s.session_group = mailhound.session_group(e.actor, null, e.client_ip,
                                mailhound.record_app(e.client_app_id, e.app_id, e.client_info)))
                        and (e.app_id = a.app_id or e.client_app_id = a.app_id)))
        ) as entry_id
        from mailhound.findings as f
        join mailhound.sessions as s using (tenant, session_id)
    ),
    applied as (
        update mailhound.findings as f
        set suppressed_by = m.entry_id
        from matched as m
        where f.tenant = m.tenant and f.session_id = m.session_id and f.detector_id = m.detector_id
            and f.suppressed_by is distinct from m.entry_id
    )
    -- The update runs to completion although nothing reads from it.
    select count(*) from matched where entry_id is not null;
$$;

comment on function mailhound.apply_allowlist() is
    'Marks each finding with the first allow-list entry in force that matches it (or none); returns how many are suppressed. Run by detect and by mailhound allow add|remove.';
