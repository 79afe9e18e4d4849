-- function: mailhound.combined_score(integer) aggregate returns integer, with its support
--           functions combine_points_step and combine_points_final
-- what:     The score formula shared by the session and account rankings:
--           100 * (1 - prod(1 - points/100)), points capped at 99, so one strong finding
--           dominates, weak ones add with diminishing returns and nothing reaches 100.
-- reads:    its arguments
-- writes:   nothing
-- callers:  refresh_session_scores (the sessions' scores), analyst.ranked_accounts

-- The support functions are PL/pgSQL rather than SQL: an aggregate's support function is never
-- inlined, and each call of a SQL function sets up an executor of its own (the scores of 34.5k
-- findings: 95 ms in the step function, 21 ms as PL/pgSQL).
create or replace function mailhound.combine_points_step(remaining double precision, points integer)
returns double precision
language plpgsql immutable strict
as $$ begin return remaining * (1 - least(points, 99) / 100.0); end $$;

create or replace function mailhound.combine_points_final(remaining double precision) returns integer
language plpgsql immutable
as $$ begin return least(99, round(100 * (1 - remaining)))::integer; end $$;

create or replace aggregate mailhound.combined_score(integer) (
    sfunc = mailhound.combine_points_step,
    stype = double precision,
    initcond = '1',
    finalfunc = mailhound.combine_points_final
);

comment on aggregate mailhound.combined_score(integer) is
    'Score 0-100 of a set of findings'' points: 100 * (1 - product of (1 - points/100)), points capped at 99.';
