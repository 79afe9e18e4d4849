-- function: mailhound.parameter_text(parameters jsonb) returns text
-- what:     Cmdlet parameters as the admin typed them, for timelines: -Identity alice -AccessRights FullAccess.
-- reads:    its argument, through mailhound.parameter_list()
-- writes:   nothing
-- callers:  analyst.session_timeline

create or replace function mailhound.parameter_text(parameters jsonb) returns text
language sql immutable
as $$
    select string_agg(
        case when coalesce(p.value ->> 'Name', '') = '' then p.value ->> 'Value'
            else '-' || (p.value ->> 'Name') || ' ' || coalesce(p.value ->> 'Value', '') end,
        ' ' order by p.ordinality
    )
    from mailhound.parameter_list(parameters) with ordinality as p(value, ordinality)
$$;

comment on function mailhound.parameter_text(jsonb) is
    'Cmdlet parameters [{"Name":...,"Value":...}] as one line: -Name Value -Name Value.';
