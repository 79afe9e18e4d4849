-- function: mailhound.combined_score(integer) aggregate returns integer, with its support
--           functions combine_points_step and combine_points_final
-- what:     The score formula shared by the session and account rankings:
--           100 * (1 - prod(1 - points/100)), points capped at 99, so one strong finding
--           dominates, weak ones add with diminishing returns and nothing reaches 100.
-- reads:    its arguments
-- writes:   nothing
-- callers:  analyst.ranked_sessions, analyst.ranked_accounts

create or replace function mailhound.combine_points_step(remaining double precision, points integer)
returns double precision
language sql immutable strict
as $$ select remaining * (1 - least(points, 99) / 100.0) $$;

create or replace function mailhound.combine_points_final(remaining double precision) returns integer
language sql immutable
as $$ select least(99, round(100 * (1 - remaining)))::integer $$;

create or replace aggregate mailhound.combined_score(integer) (
    sfunc = mailhound.combine_points_step,
    stype = double precision,
    initcond = '1',
    finalfunc = mailhound.combine_points_final
);

comment on aggregate mailhound.combined_score(integer) is
    'Score 0-100 of a set of findings'' points: 100 * (1 - product of (1 - points/100)), points capped at 99.';
