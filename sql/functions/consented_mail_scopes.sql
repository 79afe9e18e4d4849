-- function: mailhound.consented_mail_scopes(raw text) returns text
-- what:     The delegated mail-reading scopes a consent record grants (Mail.Read, Mail.ReadBasic,
--           Mail.ReadWrite and their .Shared forms, EWS.AccessAsUser.All, IMAP.AccessAsUser.All,
--           POP.AccessAsUser.All, full_access_as_user), space-separated in order; null when it
--           grants none.
-- reads:    its argument
-- writes:   nothing
-- callers:  analyst.mail_app_consents

-- PL/pgSQL rather than SQL: a SQL function would be inlined as a subquery of each record, which
-- Citus does not plan.
create or replace function mailhound.consented_mail_scopes(raw text) returns text
language plpgsql immutable parallel safe
as $$
begin
    return (
        select string_agg(distinct m[1], ' ' order by m[1])
        from regexp_matches(
            raw, '(Mail\.Read(?:Write)?(?:Basic)?(?:\.Shared)?|(?:EWS|IMAP|POP)\.AccessAsUser\.All|full_access_as_user)',
            'gi') as m
    );
end
$$;

comment on function mailhound.consented_mail_scopes(text) is
    'The delegated mail-reading scopes (Mail.Read..., EWS/IMAP/POP.AccessAsUser.All, full_access_as_user) a consent record grants, space-separated; null when none.';
