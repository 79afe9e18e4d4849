-- function: mailhound.history_from() returns timestamptz
-- what:     The earliest session a baseline of a judged session can read.
-- reads:    mailhound.judged_from(), mailhound.baseline_days()
-- writes:   nothing
-- callers:  detectors that judge incrementally

-- The day a judged session falls on, less the baseline window and that day itself.
create or replace function mailhound.history_from() returns timestamptz
language sql stable
as $$ select mailhound.judged_from() - (mailhound.baseline_days() + 1) * interval '1 day' $$;

comment on function mailhound.history_from() is
    'Earliest session a baseline of a judged session can read: judged_from() less baseline_days() + 1 days.';
