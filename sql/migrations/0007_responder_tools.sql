-- What responders and schedulers need around a detection run: a window the run reports on, and
-- an allow-list that takes effect as soon as it changes, not only at the next run.

alter table mailhound.detection_runs
    add column window_from timestamptz,
    add column window_until timestamptz,
    add column baseline_days integer;

comment on column mailhound.detection_runs.window_from is
    'detect --since: only sessions still active at or after this time got findings (null: no lower bound).';
comment on column mailhound.detection_runs.baseline_days is
    'Days of history before each session or day that baselines read (detect --baseline-days; detectors read it as mailhound.baseline_days).';
comment on column mailhound.detection_runs.window_until is
    'detect --until: only sessions that began before this time got findings (null: no upper bound).';

-- One statement sets every finding's suppression from the entries in force, so removing an entry
-- or letting it expire lifts the suppression as surely as adding one sets it.
create function mailhound.apply_allowlist() returns bigint
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
                    where e.tenant = s.tenant and e.session_group = s.session_group
                        and e.occurred_at between s.first_seen and s.last_seen
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

-- Cmdlet parameters [{"Name":...,"Value":...}] one element a row; nothing for a null or non-array value.
create function mailhound.parameter_list(parameters jsonb) returns setof jsonb
language sql immutable
as $$
    select jsonb_array_elements(case when jsonb_typeof(parameters) = 'array' then parameters else '[]' end)
$$;

comment on function mailhound.parameter_list(jsonb) is
    'The elements of a cmdlet parameter array ({"Name":...,"Value":...}), one a row; none for null or a non-array.';

-- Times as reports print them: ISO 8601 in UTC to the second.
create function mailhound.utc_text(t timestamptz) returns text
language sql stable
as $$ select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') $$;

comment on function mailhound.utc_text(timestamptz) is 'The time as ISO 8601 UTC text, e.g. 2021-03-02T02:10:04Z.';

-- Cmdlet parameters as the admin typed them, for timelines: -Identity alice -AccessRights FullAccess.
create function mailhound.parameter_text(parameters jsonb) returns text
language sql immutable
as $$
    select string_agg(
        case when coalesce(p.value ->> 'Name', '') = '' then p.value ->> 'Value'
            else '-' || (p.value ->> 'Name') || ' ' || coalesce(p.value ->> 'Value', '') end,
        ' ' order by p.ordinality
    )
    from mailhound.parameter_list(parameters) with ordinality as p(value, ordinality)
$$;

comment on function mailhound.parameter_text(jsonb) is
    'Cmdlet parameters [{"Name":...,"Value":...}] as one line: -Name Value -Name Value.';

-- The value of one cmdlet parameter, by name (case-insensitive): the first if it repeats.
create function mailhound.parameter_value(parameters jsonb, name text) returns text
language sql immutable
as $$
    select p ->> 'Value'
    from mailhound.parameter_list(parameters) as p
    where lower(p ->> 'Name') = lower(name)
    limit 1
$$;

comment on function mailhound.parameter_value(jsonb, text) is
    'Value of the cmdlet parameter with this name (case-insensitive), e.g. parameter_value(parameters, ''AccessRights'').';

-- Baseline detectors read their window from the run (detect --baseline-days); run alone, 30 days.
create function mailhound.baseline_days() returns integer
language sql stable
as $$ select coalesce(nullif(current_setting('mailhound.baseline_days', true), '')::integer, 30) $$;

comment on function mailhound.baseline_days() is
    'Days of history baselines read: the setting mailhound.baseline_days (set by detect --baseline-days), else 30.';
