-- function: mailhound.parameter_list(parameters jsonb) returns setof jsonb
-- what:     Cmdlet parameters [{"Name":...,"Value":...}], one element a row.
-- reads:    its argument
-- writes:   nothing
-- callers:  parameter_text, parameter_value, detectors reading admin operations

-- Nothing for a null or non-array value, so a malformed record cannot stop a detector.
create or replace function mailhound.parameter_list(parameters jsonb) returns setof jsonb
language sql immutable
as $$
    select jsonb_array_elements(case when jsonb_typeof(parameters) = 'array' then parameters else '[]' end)
$$;

comment on function mailhound.parameter_list(jsonb) is
    'The elements of a cmdlet parameter array ({"Name":...,"Value":...}), one a row; none for null or a non-array.';
