-- function: mailhound.combined_score(integer) aggregate returns integer, with its support
--           functions combine_points_exactly and combined_points_score
-- what:     The score formula shared by the session and account rankings:
--           100 * (1 - prod(1 - points/100)), points capped at 99, so one strong finding
--           dominates, weak ones add with diminishing returns and nothing reaches 100.
-- reads:    its arguments
-- writes:   nothing
-- callers:  refresh_session_scores (the sessions' scores), refresh_account_scores,
--           analyst.ranked_accounts

-- The product is numeric, exact: each factor has two decimals, so it grows by two digits a
-- finding. In double precision its last bit depended on the order the findings came in, and a
-- score on a half rounded either way (60, 25 and 25 make 77.5: 77 in one order, 78 in another).
-- A half rounds up. The support functions are PL/pgSQL rather than SQL: an aggregate's support
-- function is never inlined, and each call of a SQL function sets up an executor of its own (the
-- scores of 34.5k findings: 95 ms in the step function, 21 ms as PL/pgSQL).
create or replace function mailhound.combine_points_exactly(remaining numeric, points integer)
returns numeric
language plpgsql immutable strict
as $$ begin return remaining * ((100 - least(points, 99)) * 0.01); end $$;

create or replace function mailhound.combined_points_score(remaining numeric) returns integer
language plpgsql immutable
as $$ begin return least(99, round(100 * (1 - remaining)))::integer; end $$;

create or replace aggregate mailhound.combined_score(integer) (
    sfunc = mailhound.combine_points_exactly,
    stype = numeric,
    initcond = '1',
    finalfunc = mailhound.combined_points_score
);

-- The double precision support functions it had until 2026-12-04: replaced in place above, the
-- aggregate keeps the views built on it, and they go once nothing uses them.
drop function if exists mailhound.combine_points_step(double precision, integer);
drop function if exists mailhound.combine_points_final(double precision);

comment on aggregate mailhound.combined_score(integer) is
    'Score 0-100 of a set of findings'' points: 100 * (1 - product of (1 - points/100)), points capped at 99, computed exactly (a half rounds up), whatever order the points come in.';
