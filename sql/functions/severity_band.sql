-- function: mailhound.severity_band(score integer) returns text
-- what:     The band a score falls in.
-- reads:    its argument
-- writes:   nothing
-- callers:  analyst.ranked_sessions, analyst.ranked_accounts

create or replace function mailhound.severity_band(score integer) returns text
language sql immutable
as $$
    select case when score >= 85 then 'critical' when score >= 65 then 'high' when score >= 40 then 'medium' else 'low' end
$$;

comment on function mailhound.severity_band(integer) is 'critical (>= 85), high (>= 65), medium (>= 40) or low.';
