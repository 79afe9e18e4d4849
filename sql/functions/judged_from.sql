-- function: mailhound.judged_from() returns timestamptz
-- what:     Sessions beginning at or after this time are judged by the current run.
-- reads:    the setting mailhound.judged_from (set by an incremental detect)
-- writes:   nothing
-- callers:  detectors that judge incrementally (a "judges:" header line); mailhound.history_from()

-- A detector run alone in psql judges every session.
create or replace function mailhound.judged_from() returns timestamptz
language sql stable
as $$ select coalesce(nullif(current_setting('mailhound.judged_from', true), '')::timestamptz, '-infinity') $$;

comment on function mailhound.judged_from() is
    'Sessions beginning at or after this time are judged: the setting mailhound.judged_from (set by an incremental detect), else -infinity (every session).';
