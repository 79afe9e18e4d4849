-- id:        permission-grant
-- title:     Mailbox permission granted, then used: self-grants, grant-then-read, grant-read-revoke
-- status:    stable
-- severity:  high     points: grantor 35, +20 self-grant, +15 read within 24 h, +10 revoked within
--            7 days (at most 80); the grantee's reading session 45, +10 self-grant, +10 revoked;
--            15 less on a shared mailbox (analyst.shared_mailboxes) granted to someone else
-- finds:     Add-MailboxPermission (FullAccess, ChangePermission, ChangeOwner), Add-RecipientPermission
--            (SendAs), Set-Mailbox -GrantSendOnBehalfTo, Add/Set-MailboxFolderPermission with
--            reading roles; and the grantee's sessions that read the target in the 24 hours after.
-- why:       Compromised admins grant themselves or a throwaway account FullAccess, read, and
--            remove the grant. Hawk, Elastic and ESCU alert on the grant alone; the read after it
--            and the revoke are what separate theft from housekeeping. Giving one more person a
--            mailbox no one signs in to and several people read (support@, billing@) is the help
--            desk's daily work, so it weighs less; a grant to oneself does not.
-- reads:     analyst.mailbox_events(tenant, session_id, actor, operation, parameters, mailbox_owner,
--            result_status, occurred_at), analyst.sessions(tenant, session_id, actor,
--            mailbox_owners, operations, first_seen, last_seen), analyst.shared_mailboxes(tenant,
--            mailbox)
-- baseline:  none; Exchange's own service identities and DiscoverySearchMailbox grants are
--            excluded, compared case-insensitively
-- routine:   none: each grant is reviewed; grant, read and revoke are gathered across sessions
-- evidence:  role (grantor or grantee), grantor, grantee, target, rights, operation, granted_at,
--            self_grant, read_sessions, revoked_at, shared_mailbox
-- reason:    {grantor} granted {grantee} {rights} on {target}; read {n} time(s) within 24 h, revoked at {t}[; a
--            shared mailbox several people read]
-- false-positives: helpdesk granting assistants access (no read by a new identity; allow-list the
--            helpdesk), and new members of a shared mailbox's team (15 less)
-- attack:    T1098.002
-- tests:     Tests/IntegrationTests/DetectorTests.swift

with grants as (
    select
        tenant,
        session_id,
        actor as grantor,
        operation,
        occurred_at as granted_at,
        lower(coalesce(
            mailhound.parameter_value(parameters, 'User'),
            mailhound.parameter_value(parameters, 'Trustee'),
            mailhound.parameter_value(parameters, 'GrantSendOnBehalfTo')
        )) as grantee,
        lower(coalesce(mailbox_owner, mailhound.parameter_value(parameters, 'Identity'))) as target,
        coalesce(
            mailhound.parameter_value(parameters, 'AccessRights'),
            case when operation = 'Set-Mailbox' then 'SendOnBehalf' end
        ) as rights
    from analyst.mailbox_events
    where operation in (
            'Add-MailboxPermission', 'Add-RecipientPermission', 'Set-Mailbox',
            'Add-MailboxFolderPermission', 'Set-MailboxFolderPermission'
        )
        and coalesce(lower(result_status), '') not in ('false', 'failed', 'failure')
        and coalesce(actor, '') !~* '^NT AUTHORITY\\SYSTEM \((Microsoft\.Exchange\.ServiceHost|Microsoft\.Exchange\.AdminApi\.NetCore|w3wp)\)$'
),

meaningful as (
    select *
    from grants
    where grantee is not null
        and target is not null
        and grantee not like 'discoverysearchmailbox%'
        and case
            when operation = 'Add-MailboxPermission' then rights ~* 'FullAccess|ChangePermission|ChangeOwner'
            when operation = 'Add-RecipientPermission' then rights ~* 'SendAs'
            when operation = 'Set-Mailbox' then true
            else rights ~* 'Owner|Editor|Author|Reviewer|ReadItems|FullDetails'
        end
),

used as (
    select
        g.*,
        lower(g.grantor) = g.grantee as self_grant,
        exists (
            select 1 from analyst.shared_mailboxes as sm where sm.tenant = g.tenant and sm.mailbox = g.target
        ) as shared_mailbox,
        (
            select min(r.occurred_at)
            from analyst.mailbox_events as r
            where r.tenant = g.tenant
                and r.operation in ('Remove-MailboxPermission', 'Remove-RecipientPermission', 'Remove-MailboxFolderPermission')
                and lower(coalesce(r.mailbox_owner, mailhound.parameter_value(r.parameters, 'Identity'))) = g.target
                and lower(coalesce(mailhound.parameter_value(r.parameters, 'User'), mailhound.parameter_value(r.parameters, 'Trustee'))) = g.grantee
                and r.occurred_at between g.granted_at and g.granted_at + interval '7 days'
        ) as revoked_at,
        array(
            select s.session_id
            from analyst.sessions as s
            where s.tenant = g.tenant
                and lower(s.actor) = g.grantee
                and g.target = any(s.mailbox_owners)
                and 'MailItemsAccessed' = any(s.operations)
                and s.last_seen >= g.granted_at
                and s.first_seen <= g.granted_at + interval '24 hours'
            order by s.first_seen
        ) as read_sessions
    from meaningful as g
),

-- A shared mailbox given to someone else: the team's housekeeping.
weighed as (
    select u.*, u.shared_mailbox and not u.self_grant as team_mailbox from used as u
),

scored as (
    select
        tenant, session_id, 'grantor' as role, grantor, grantee, target, rights, operation, granted_at,
        self_grant, read_sessions, revoked_at, shared_mailbox, team_mailbox,
        least(
            35 + case when self_grant then 20 else 0 end
                + case when cardinality(read_sessions) > 0 then 15 else 0 end
                + case when revoked_at is not null then 10 else 0 end,
            80
        ) - case when team_mailbox then 15 else 0 end as points
    from weighed
    union all
    select
        u.tenant, read_session, 'grantee', u.grantor, u.grantee, u.target, u.rights, u.operation, u.granted_at,
        u.self_grant, u.read_sessions, u.revoked_at, u.shared_mailbox, u.team_mailbox,
        45 + case when u.self_grant then 10 else 0 end + case when u.revoked_at is not null then 10 else 0 end
            - case when u.team_mailbox then 15 else 0 end
    from weighed as u
    cross join lateral unnest(u.read_sessions) as read_session
)

select distinct on (tenant, session_id)
    tenant,
    session_id,
    'permission-grant' as detector_id,
    points,
    format(
        '%s granted %s %s on %s (%s)%s%s%s',
        coalesce(grantor, 'an unnamed identity'), grantee, rights, target, operation,
        case when cardinality(read_sessions) > 0
            then format('; %s read it within 24 h (%s session(s))', grantee, cardinality(read_sessions)) else '' end,
        case when revoked_at is not null
            then format('; revoked at %s', to_char(revoked_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')) else '' end,
        case when team_mailbox then '; a shared mailbox several people read' else '' end
    ) as reason,
    jsonb_build_object(
        'role', role,
        'grantor', grantor,
        'grantee', grantee,
        'target', target,
        'rights', rights,
        'operation', operation,
        'granted_at', granted_at,
        'self_grant', self_grant,
        'read_sessions', read_sessions,
        'revoked_at', revoked_at,
        'shared_mailbox', shared_mailbox
    ) as evidence
from scored
order by tenant, session_id, points desc, granted_at;
