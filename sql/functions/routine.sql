-- function: mailhound.routine(tenant text, actor text, first_seen timestamptz, client_ip inet,
--           mailbox_owners text[], access_types text[])
--           returns table (days integer, looked_ahead boolean, routine boolean)
-- what:     How often the same identity did the same thing: the days (UTC) on which it began a
--           session from the same network block (/24, or /64 for IPv6), within two hours of the
--           same time of day, touching one of the same mailboxes and, when given, with one of the
--           same access types (Bind, Sync). Counted in the baseline window before the session's
--           day; for a session in the data's first baseline window that finds fewer than 5, also
--           in the baseline window after it (looked_ahead): an investigation loads its logs after
--           the fact, and a behaviour that starts with the data and repeats unchanged for weeks
--           is routine, not new. routine: days >= 5.
-- reads:    mailhound.sessions (through sessions_actor_time, a few rows per identity and day)
-- writes:   nothing
-- callers:  the detectors that damp routine: non-owner-sync, machine-identity, volume-outlier,
--           many-mailboxes
--
-- An attacker's repeat visits change at least one of these: new mailboxes, another network,
-- another hour. A backup app, a journaling service or an assistant changes none of them.

create or replace function mailhound.routine(
    tenant text, actor text, first_seen timestamptz, client_ip inet, mailbox_owners text[], access_types text[]
)
returns table (days integer, looked_ahead boolean, routine boolean)
language sql stable
-- Planned on its own, not inlined into the caller (a function with a setting is not): its
-- plan reads each day's hours through the index, and an inlined copy made callers reorder their
-- joins around its estimates (volume-outlier judged every large session's history first: 190 s
-- instead of 3 s at 30M events). One row, at about the cost of the window's index probes.
set search_path = pg_catalog, pg_temp
rows 1
cost 100000
as $$
    with bounds as (
        select
            (routine.first_seen at time zone 'UTC')::date as day,
            mailhound.baseline_days() as baseline,
            (select min(s.first_seen) from mailhound.sessions as s where s.tenant = routine.tenant) as data_start
    ),
    -- The sessions within two hours of the same time of day, one index range a day: a busy app
    -- begins thousands of sessions in the window, and reading only the hours around the time keeps
    -- five sixths of them from being filtered row by row (seconds, not days, so that a zone's
    -- daylight saving change cannot move the hours).
    alike as (
        select distinct (s.first_seen at time zone 'UTC')::date as day
        from bounds as b
        cross join generate_series(-b.baseline - 1, b.baseline + 1) as shift(days)
        cross join lateral (
            select s.first_seen
            from mailhound.sessions as s
            where s.tenant = routine.tenant
                and lower(s.actor) = lower(routine.actor)
                and s.first_seen >= routine.first_seen + make_interval(secs => shift.days * 86400 - 7200)
                and s.first_seen <= routine.first_seen + make_interval(secs => shift.days * 86400 + 7200)
                and s.first_seen >= (b.day - b.baseline)::timestamp at time zone 'UTC'
                and s.first_seen < (b.day + b.baseline + 1)::timestamp at time zone 'UTC'
                and (s.first_seen at time zone 'UTC')::date <> b.day
                and s.mailbox_owners && routine.mailbox_owners
                and (cardinality(routine.access_types) = 0 or s.access_types && routine.access_types)
                and (
                    (s.client_ip is null and routine.client_ip is null)
                    or mailhound.network_block(s.client_ip) = mailhound.network_block(routine.client_ip)
                )
            -- A subquery of its own, so that each day's hours are an index range rather than a
            -- filter on every session of the window.
            offset 0
        ) as s
    ),
    counted as (
        select
            count(*) filter (where a.day < b.day) as earlier,
            count(*) filter (where a.day > b.day) as later,
            b.day < (b.data_start at time zone 'UTC')::date + b.baseline as in_first_window
        from bounds as b
        left join alike as a on true
        group by b.day, b.data_start, b.baseline
    )
    select
        (case when earlier < 5 and in_first_window then earlier + later else earlier end)::integer,
        earlier < 5 and in_first_window and later > 0,
        (case when earlier < 5 and in_first_window then earlier + later else earlier end) >= 5
    from counted
$$;

comment on function mailhound.routine(text, text, timestamptz, inet, text[], text[]) is
    'Days the identity began a like session (same /24 or /64, within 2 hours of the time of day, a shared mailbox and access type) in the baseline window before, or for the data''s first window also after; routine when 5 or more.';
