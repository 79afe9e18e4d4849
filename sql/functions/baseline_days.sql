-- function: mailhound.baseline_days() returns integer
-- what:     Days of history per-actor baselines read before the session or day they judge.
-- reads:    the setting mailhound.baseline_days (set by detect --baseline-days)
-- writes:   nothing
-- callers:  detectors with a baseline; mailhound.history_from()

-- Baseline detectors read their window from the run; run alone in psql, 30 days.
create or replace function mailhound.baseline_days() returns integer
language sql stable
as $$ select coalesce(nullif(current_setting('mailhound.baseline_days', true), '')::integer, 30) $$;

comment on function mailhound.baseline_days() is
    'Days of history baselines read: the setting mailhound.baseline_days (set by detect --baseline-days), else 30.';
