-- id:        app-mail-reading
-- title:     App-only mail reading by a new app, or far above the app's own days
-- status:    stable
-- severity:  medium   points: 35 for an app that read no mail in the baseline window; 40 for a day
--            above the app's mean + 3 standard deviations (at least 100 items)
-- finds:     Sessions of app-only identities (no user: UserType 5/6, service principals) reading mail,
--            on a day when the app (ClientAppId, else AppId) is new to mail reading, or reads far more
--            than on its other days.
-- why:       Stolen app secrets with full_access_as_app or Mail.Read read any mailbox without a user
--            (Nobelium). The baseline counts days without reads as zeros and leaves the tested day
--            out, unlike hunting queries whose deviation is inflated by the very day they test.
-- reads:     analyst.mailbox_events(tenant, session_id, operation, actor_kind, app_id, client_app_id,
--            items, occurred_at), analyst.sessions(tenant, session_id, first_seen),
--            analyst.tenant_spans(tenant, data_from)
-- baseline:  the app's daily reads over the mailhound.baseline_days() (default 30) days before the day,
--            zero-filled, that day excluded; cold start: no finding with fewer than 7 days of data
-- judges:    sessions from mailhound.judged_from(), reading history from mailhound.history_from()
-- routine:   an app's own steady days are its baseline (mean + 3 SD over zero-filled days); a new
--            app's theft over several nights is also campaign's
-- evidence:  app, day, reads, baseline_days, mean, stddev, active_days, new_app
-- reason:    app {app} read {n} items on {day}: new to mail reading / mean {m}, sd {sd} over {d} days
-- false-positives: backup and archiving apps when first set up (allow-list by app id)
-- attack:    T1114.002, T1550.001
-- tests:     Tests/IntegrationTests/DetectorTests.swift

with app_reads as (
    select
        tenant,
        session_id,
        coalesce(nullif(client_app_id, ''), app_id) as app,
        (occurred_at at time zone 'UTC')::date - date '1970-01-01' as day,
        greatest(items, 1) as reads
    from analyst.mailbox_events
    where actor_kind = 'app'
        and operation = 'MailItemsAccessed'
        and session_id is not null
        and coalesce(nullif(client_app_id, ''), app_id) is not null
        -- The judged days and the baseline window before them: in an incremental run, the new days.
        and occurred_at >= mailhound.history_from()
),

app_days as (
    select tenant, app, day, sum(reads) as reads
    from app_reads
    group by tenant, app, day
),

windowed_days as (
    select
        d.*,
        coalesce(sum(reads) over w, 0) as prior_sum,
        coalesce(sum(reads * reads) over w, 0) as prior_squares,
        count(*) over w as active_days
    from app_days as d
    window w as (
        partition by tenant, app order by day
        range between mailhound.baseline_days() preceding and 1 preceding
    )
),

judged as (
    select
        t.*,
        least(mailhound.baseline_days(), t.day - f.first_day) as baseline_days
    from windowed_days as t
    join (
        select tenant, (data_from at time zone 'UTC')::date - date '1970-01-01' as first_day
        from analyst.tenant_spans
    ) as f using (tenant)
),

stats as (
    select
        *,
        prior_sum::numeric / nullif(baseline_days, 0) as mean,
        sqrt(greatest(
            prior_squares::numeric / nullif(baseline_days, 0) - (prior_sum::numeric / nullif(baseline_days, 0)) ^ 2, 0
        )) as stddev
    from judged
    where baseline_days >= 7
),

flagged as (
    select *, active_days = 0 as new_app
    from stats
    where active_days = 0 or (reads >= 100 and reads > mean + 3 * stddev)
)

select distinct on (r.tenant, r.session_id)
    r.tenant,
    r.session_id,
    'app-mail-reading' as detector_id,
    case when f.new_app then 35 else 40 end as points,
    format(
        'app %s read %s items on %s: %s',
        f.app, f.reads, date '1970-01-01' + f.day,
        case when f.new_app then format('it read no mail in the %s days before', f.baseline_days)
            else format('its mean is %s a day, sd %s, over %s days', round(f.mean, 1), round(f.stddev, 1), f.baseline_days)
        end
    ) as reason,
    jsonb_build_object(
        'app', f.app, 'day', date '1970-01-01' + f.day, 'reads', f.reads, 'baseline_days', f.baseline_days,
        'mean', round(f.mean, 2), 'stddev', round(f.stddev, 2), 'active_days', f.active_days, 'new_app', f.new_app
    ) as evidence
from app_reads as r
join flagged as f using (tenant, app, day)
join analyst.sessions as s on s.tenant = r.tenant and s.session_id = r.session_id
where s.first_seen >= mailhound.judged_from()
order by r.tenant, r.session_id, f.reads desc;
