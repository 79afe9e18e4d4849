-- id:        privileged-role
-- title:     Impersonation, export or search rights given to an identity or app
-- status:    stable
-- severity:  high     points: 45; 60 when the identity given the right reads others' mailboxes
--            within 7 days, or when the grantor gives it to itself
-- finds:     New-ManagementRoleAssignment and role-group changes carrying ApplicationImpersonation,
--            Mailbox Import Export or Mailbox Search; app consents, role assignments and updates
--            that add Exchange full_access_as_app (dc890d15-...) or Graph Mail.Read/Mail.ReadWrite
--            (810c84a8-..., e2a3a72e-...); credentials added to a service principal.
-- why:       These rights turn one identity into a reader of every mailbox: ProxyLogon operators
--            gave themselves Mailbox Import Export before exporting, Nobelium added secrets to apps
--            holding full_access_as_app. Chained with the reads that follow, it is the intrusion.
-- reads:     analyst.mailbox_events(tenant, session_id, actor, operation, parameters, raw,
--            occurred_at), analyst.sessions(tenant, session_id, actor, mailbox_owners,
--            operations, first_seen)
-- baseline:  none: each such change is rare and reviewed
-- routine:   none: each role change is reviewed; the grantee's reads in the 7 days after are
--            gathered
-- evidence:  changes [{operation, role, grantee, at}], grantee_reads (sessions of the grantee
--            reading others' mailboxes in the 7 days after)
-- reason:    {actor} gave {grantee} {role}; it then read {n} other mailbox session(s)
-- false-positives: migration and backup tools being set up (allow-list the ticketed change)
-- attack:    T1098.003, T1098.001
-- tests:     Tests/IntegrationTests/DetectorTests.swift

with changes as (
    select
        tenant,
        session_id,
        actor,
        operation,
        occurred_at,
        coalesce(
            mailhound.parameter_value(parameters, 'Role'),
            case
                when raw ~* 'dc890d15-9560-4a4c-9b7f-a736ec74ec40|full_access_as_app' then 'full_access_as_app'
                when raw ~* 'e2a3a72e-5f79-4c64-b1b1-878b674786c9' then 'Mail.ReadWrite'
                when raw ~* '810c84a8-4a9e-49e6-bf7d-12d183f40d01' then 'Mail.Read'
                when operation ~* 'credential' then 'new credentials'
                else mailhound.parameter_value(parameters, 'Identity')
            end
        ) as role,
        lower(coalesce(
            mailhound.parameter_value(parameters, 'User'),
            mailhound.parameter_value(parameters, 'App'),
            mailhound.parameter_value(parameters, 'Member'),
            mailhound.parameter_value(parameters, 'SecurityGroup'),
            object_id
        )) as grantee
    from analyst.mailbox_events as e
    where session_id is not null
        and operation <> 'MailItemsAccessed'
        and (
            (operation in ('New-ManagementRoleAssignment', 'Add-RoleGroupMember', 'Update-RoleGroupMember', 'New-RoleGroup')
                and mailhound.parameter_text(parameters) ~* 'ApplicationImpersonation|Mailbox Import Export|Mailbox Search|Discovery Management')
            or (operation ~* '^(Add app role assignment|Add delegated permission grant|Consent to application|Update application|Add service principal)'
                and raw ~* 'dc890d15-9560-4a4c-9b7f-a736ec74ec40|full_access_as_app|810c84a8-4a9e-49e6-bf7d-12d183f40d01|e2a3a72e-5f79-4c64-b1b1-878b674786c9')
            or (operation ~* '^(Add service principal credentials|Update application .*Certificates and secrets)'
                and exists (
                    select 1 from analyst.mailbox_events as granted
                    where granted.tenant = e.tenant
                        and granted.operation ~* '^(Add app role assignment|Consent to application)'
                        and granted.object_id = e.object_id
                        and granted.raw ~* 'dc890d15-9560-4a4c-9b7f-a736ec74ec40|full_access_as_app|810c84a8-4a9e-49e6-bf7d-12d183f40d01|e2a3a72e-5f79-4c64-b1b1-878b674786c9'
                ))
        )
),

with_use as (
    select
        c.*,
        (
            select count(*)
            from analyst.sessions as s
            where s.tenant = c.tenant
                and c.grantee is not null
                and (lower(s.actor) = c.grantee or lower(s.actor) = 'serviceprincipal_' || c.grantee)
                and s.first_seen between c.occurred_at and c.occurred_at + interval '7 days'
                and 'MailItemsAccessed' = any(s.operations)
                and exists (select 1 from unnest(s.mailbox_owners) as owner where owner <> lower(s.actor))
        ) as grantee_reads,
        lower(c.actor) = c.grantee as self_grant
    from changes as c
),

per_session as (
    select
        tenant,
        session_id,
        min(actor) as actor,
        (array_agg(role order by occurred_at))[1] as role,
        (array_agg(grantee order by occurred_at))[1] as grantee,
        sum(grantee_reads) as grantee_reads,
        bool_or(self_grant) as self_grant,
        jsonb_agg(jsonb_build_object('operation', operation, 'role', role, 'grantee', grantee, 'at', occurred_at)
            order by occurred_at, operation, role, grantee) as changes
    from with_use
    group by tenant, session_id
)

select
    tenant,
    session_id,
    'privileged-role' as detector_id,
    case when grantee_reads > 0 or self_grant then 60 else 45 end as points,
    format(
        '%s gave %s %s%s',
        coalesce(actor, 'an unnamed identity'), coalesce(grantee, 'an identity'), coalesce(role, 'mailbox-wide rights'),
        case when grantee_reads > 0 then format('; it then read other mailboxes in %s session(s)', grantee_reads) else '' end
    ) as reason,
    jsonb_build_object('changes', changes, 'grantee_reads', grantee_reads, 'self_grant', self_grant) as evidence
from per_session;
