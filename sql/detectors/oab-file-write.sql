-- id:        oab-file-write
-- title:     The OAB generator wrote a file outside its download folder (CVE-2021-26858)
-- status:    stable
-- severity:  critical points: 90; 95 when the file is a script page (.aspx, .asmx, .php, .jsp...)
-- finds:     Sessions holding an OAB generator log line "Download failed and temporary file
--            '<path>' needs to be removed" (source oab-generator) whose path is not under
--            ClientAccess\OAB\Temp: a UNC path or any other folder.
-- why:       CVE-2021-26858, ProxyLogon's post-authentication arbitrary file write: the OAB
--            generator was made to "download" an attacker's file to a path of the attacker's
--            choosing, a web shell into a web-served folder. The generator downloads only to
--            ClientAccess\OAB\Temp (Microsoft's guidance), so any other path is the write.
-- reads:     analyst.mailbox_events(tenant, session_id, workload, operation, object_id, occurred_at)
-- baseline:  none
-- judges:    sessions from mailhound.judged_from()
-- routine:   none: a write outside the download folder is never routine
-- evidence:  path, script_page, at
-- reason:    The OAB generator wrote {path}, outside ClientAccess\OAB\Temp
-- false-positives: none known; a download that failed inside ClientAccess\OAB\Temp is not flagged
-- attack:    T1505.003, T1190
-- tests:     Tests/IntegrationTests/SourcesTests.swift

with writes as (
    select
        e.tenant,
        e.session_id,
        e.object_id as path,
        e.occurred_at,
        e.object_id ~* '\.(aspx|asmx|ashx|asax|asp|php|jsp|js|cfm|shtml)$' as script_page
    from analyst.mailbox_events as e
    where e.session_id is not null
        and e.workload = 'OABGenerator'
        and e.operation = 'OABDownloadFailed'
        and e.occurred_at >= mailhound.judged_from()
        and replace(e.object_id, '/', '\') !~* '\\ClientAccess\\OAB\\Temp\\'
)

select distinct on (tenant, session_id)
    tenant,
    session_id,
    'oab-file-write' as detector_id,
    case when script_page then 95 else 90 end as points,
    format(
        'The OAB generator wrote %s, outside ClientAccess\OAB\Temp%s',
        left(path, 200), case when script_page then ': a script page the web server may run' else '' end
    ) as reason,
    jsonb_build_object('path', left(path, 400), 'script_page', script_page, 'at', occurred_at) as evidence
from writes
order by tenant, session_id, script_page desc, occurred_at, path;
