-- function: mailhound.parameter_value(parameters jsonb, name text) returns text
-- what:     The value of one cmdlet parameter, by name (case-insensitive): the first if it repeats.
-- reads:    its arguments, through mailhound.parameter_list()
-- writes:   nothing
-- callers:  detectors reading admin operations (permission-grant, export-request, ...)

create or replace function mailhound.parameter_value(parameters jsonb, name text) returns text
language sql immutable
as $$
    select p ->> 'Value'
    from mailhound.parameter_list(parameters) as p
    where lower(p ->> 'Name') = lower(name)
    limit 1
$$;

comment on function mailhound.parameter_value(jsonb, text) is
    'Value of the cmdlet parameter with this name (case-insensitive), e.g. parameter_value(parameters, ''AccessRights'').';
