-- function: mailhound.consented_app_ids(raw text, object_id text) returns text[]
-- what:     The ids, lower-cased, by which the records of an app a consent let in name it (their
--           ClientAppId or AppId): the service principal's (the record's ObjectId) and the
--           application id Entra gives in TargetId.ServicePrincipalNames or as a Target of type 4.
-- reads:    its arguments
-- writes:   nothing
-- callers:  analyst.mail_app_consents

-- PL/pgSQL rather than SQL, as consented_mail_scopes. The patterns need no quotes around names
-- and values, so a record inside a CSV export's escaped AuditData reads the same.
create or replace function mailhound.consented_app_ids(raw text, object_id text) returns text[]
language plpgsql immutable parallel safe
as $$
begin
    return array_remove(
        array[lower(nullif(object_id, ''))] || coalesce(
            (
                select array_agg(distinct lower(g[1]))
                from regexp_matches(
                    raw, 'ServicePrincipalNames[^}]*|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\W{1,8}Type\W{1,6}4\M',
                    'gi') as p
                cross join lateral regexp_matches(p[1], '[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}', 'gi') as g
            ),
            '{}'),
        null);
end
$$;

comment on function mailhound.consented_app_ids(text, text) is
    'The ids (lower case) by which the records of an app a consent let in name it: the service principal''s (ObjectId) and the application id of TargetId.ServicePrincipalNames or a Target of type 4.';
