-- id:        virtual-directory-script
-- title:     Script written into an Exchange virtual directory's URL (CVE-2021-27065)
-- status:    stable
-- severity:  critical points: 90
-- finds:     Sessions that ran Set-<App>VirtualDirectory (OAB, OWA, ECP, EWS, ActiveSync...) with a
--            parameter holding script (<script, runat=, eval(, Request[) or a URL parameter
--            (InternalUrl, ExternalUrl) that is not a plain http(s) URI; from the admin audit log,
--            the UAL's ExchangeAdmin records or the ECP Server log.
-- why:       ProxyLogon's second step: after the SSRF, HAFNIUM set an OAB virtual directory's
--            ExternalUrl to a JScript web shell and reset the directory, which wrote the shell to
--            disk. Microsoft: no virtual directory property should hold script, and the URLs must be
--            plain URIs. Nothing benign looks like it.
-- reads:     analyst.mailbox_events(tenant, session_id, actor, operation, parameters, occurred_at)
-- baseline:  none
-- judges:    sessions from mailhound.judged_from()
-- routine:   none: script in a virtual directory is never routine
-- evidence:  cmdlet, parameter, value, at
-- reason:    {actor} set {cmdlet} {parameter} to script: {value}
-- false-positives: none known
-- attack:    T1505.003, T1190
-- tests:     Tests/IntegrationTests/DetectorTests.swift

with changes as (
    select e.tenant, e.session_id, e.actor, e.operation, e.occurred_at, p ->> 'Name' as parameter, p ->> 'Value' as value
    from analyst.mailbox_events as e
    cross join lateral mailhound.parameter_list(e.parameters) as p
    where e.session_id is not null
        -- Implied by the pattern; said so that the partial indexes of the rare operations serve.
        and e.operation <> 'MailItemsAccessed'
        and e.operation ~* '^Set-\w*VirtualDirectory$'
        and e.occurred_at >= mailhound.judged_from()
),

scripted as (
    select *
    from changes
    where value ~* '<\s*script|runat\s*=|eval\s*\(|Request\s*\['
        or (parameter ~* 'url$' and value !~* '^\s*(\$null|https?://[^\s<>"'']*)\s*$' and btrim(value) <> '')
)

select distinct on (tenant, session_id)
    tenant,
    session_id,
    'virtual-directory-script' as detector_id,
    90 as points,
    format(
        '%s set %s %s to script: %s',
        coalesce(actor, 'an unnamed identity'), operation, parameter, left(value, 120)
    ) as reason,
    jsonb_build_object('cmdlet', operation, 'parameter', parameter, 'value', left(value, 400), 'at', occurred_at)
        as evidence
from scripted
order by tenant, session_id, occurred_at;
