-- id:        audit-tampering
-- title:     Mailbox or tenant auditing switched off or bypassed
-- status:    stable
-- severity:  high     points: 55; 70 when the same actor reads others' mailboxes within 7 days after
-- finds:     Set-MailboxAuditBypassAssociation -AuditBypassEnabled $true, Set-AdminAuditLogConfig
--            -UnifiedAuditLogIngestionEnabled $false or -AdminAuditLogEnabled $false, Set-Mailbox or
--            Set-OrganizationConfig turning auditing off (-AuditEnabled $false, -AuditDisabled $true),
--            and mailbox audit sets (-AuditOwner, -AuditDelegate, -AuditAdmin) without MailItemsAccessed.
-- why:       Intruders who know the audit log switch it off first: after it, "nothing found" means
--            nothing. Each change is also a blind spot `mailhound coverage` reports.
-- reads:     analyst.mailbox_events(tenant, session_id, actor, operation, parameters, mailbox_owner,
--            occurred_at), analyst.sessions(tenant, actor, mailbox_owners, operations, first_seen)
-- baseline:  none: these changes are rare and each is reviewed
-- routine:   none: every change of auditing counts, each on its own
-- evidence:  changes [{operation, target, parameters, at}], later_reads
-- reason:    {actor} turned auditing off: {operation} {parameters}
-- false-positives: ticketed noise reduction for service accounts (allow-list with the ticket)
-- attack:    T1562.008
-- tests:     Tests/IntegrationTests/DetectorTests.swift

with changes as (
    select
        tenant,
        session_id,
        actor,
        operation,
        occurred_at,
        coalesce(mailbox_owner, mailhound.parameter_value(parameters, 'Identity'), 'the organization') as target,
        mailhound.parameter_text(parameters) as parameter_text
    from analyst.mailbox_events
    where session_id is not null
        and operation in (
            'Set-MailboxAuditBypassAssociation', 'Set-AdminAuditLogConfig', 'Set-Mailbox', 'Set-OrganizationConfig'
        )
),

tampering as (
    select *
    from changes
    where case
        when operation = 'Set-MailboxAuditBypassAssociation' then parameter_text ~* '-AuditBypassEnabled\s+\$?(true|1)\y'
        when operation = 'Set-AdminAuditLogConfig' then
            parameter_text ~* '-(UnifiedAuditLogIngestionEnabled|AdminAuditLogEnabled)\s+\$?(false|0)\y'
        else parameter_text ~* '-AuditEnabled\s+\$?(false|0)\y|-AuditDisabled\s+\$?(true|1)\y'
            or (parameter_text ~* '-Audit(Owner|Delegate|Admin)\s' and parameter_text !~* 'MailItemsAccessed')
    end
),

per_session as (
    select
        t.tenant,
        t.session_id,
        min(t.actor) as actor,
        min(t.occurred_at) as first_at,
        (array_agg(t.operation || ' ' || t.parameter_text order by t.occurred_at, t.operation, t.parameter_text))[1]
            as first_change,
        jsonb_agg(jsonb_build_object(
            'operation', t.operation, 'target', t.target, 'parameters', t.parameter_text, 'at', t.occurred_at
        ) order by t.occurred_at, t.operation, t.parameter_text) as changes
    from tampering as t
    group by t.tenant, t.session_id
),

with_reads as (
    select
        p.*,
        (
            select count(*)
            from analyst.sessions as s
            where s.tenant = p.tenant and lower(s.actor) = lower(p.actor)
                and s.first_seen between p.first_at and p.first_at + interval '7 days'
                and 'MailItemsAccessed' = any(s.operations)
                and exists (select 1 from unnest(s.mailbox_owners) as owner where owner <> lower(s.actor))
        ) as later_reads
    from per_session as p
)

select
    tenant,
    session_id,
    'audit-tampering' as detector_id,
    case when later_reads > 0 then 70 else 55 end as points,
    format(
        '%s turned auditing off: %s%s',
        coalesce(actor, 'an unnamed identity'), left(first_change, 160),
        case when later_reads > 0 then format('; then read other mailboxes in %s session(s)', later_reads) else '' end
    ) as reason,
    jsonb_build_object('changes', changes, 'later_reads', later_reads) as evidence
from with_reads;
