-- Requests from the Exchange front end's web logs (HttpProxy, IIS W3C), each with the intrusion
-- indicators it matches, so SQL can correlate them with mailbox sessions by client address and time.

create table mailhound.web_requests (
    tenant text not null,
    request_key uuid not null,
    occurred_at timestamptz not null,
    log_kind text not null check (log_kind in ('httpproxy', 'iis')),
    server text,
    protocol text,
    method text,
    url_stem text,
    url_query text,
    http_status integer,
    authenticated_user text,
    client_ip inet,
    user_agent text,
    anchor_mailbox text,
    routing_hint text,
    backend_cookie text,
    request_bytes bigint,
    response_bytes bigint,
    indicators text[] not null default '{}',
    source_file text not null,
    source_line bigint not null,
    source_offset bigint not null,
    raw text not null,
    primary key (tenant, request_key)
);

create index web_requests_address_time on mailhound.web_requests (tenant, client_ip, occurred_at);
create index web_requests_flagged on mailhound.web_requests (tenant, occurred_at) where indicators <> '{}';

comment on table mailhound.web_requests is
    'Requests from Exchange HttpProxy and IIS W3C logs, one row per request, with the ProxyLogon-era indicators each matches.';
comment on column mailhound.web_requests.tenant is 'Tenant: the name configured for the on-premises organization (ingest --tenant).';
comment on column mailhound.web_requests.request_key is 'Natural key: HttpProxy RequestId plus server; for IIS a hash of server, line and its repeat count within the second.';
comment on column mailhound.web_requests.occurred_at is 'When the request was logged (UTC).';
comment on column mailhound.web_requests.log_kind is 'httpproxy or iis.';
comment on column mailhound.web_requests.server is 'Front-end server: HttpProxy ServerHostName, IIS s-computername or s-ip.';
comment on column mailhound.web_requests.protocol is 'HttpProxy protocol folder (Owa, Ecp, Ews, Autodiscover, Mapi...); null for IIS.';
comment on column mailhound.web_requests.method is 'HTTP method.';
comment on column mailhound.web_requests.url_stem is 'Path requested, e.g. /ecp/y.js or /aspnet_client/system_web/x.aspx.';
comment on column mailhound.web_requests.url_query is 'Query string as logged.';
comment on column mailhound.web_requests.http_status is 'HTTP status returned by the front end (241 marks a ProxyLogon session step).';
comment on column mailhound.web_requests.authenticated_user is 'AuthenticatedUser or cs-username; null when empty or -, as in the SSRF pattern.';
comment on column mailhound.web_requests.client_ip is 'Client address as the front end saw it.';
comment on column mailhound.web_requests.user_agent is 'User agent, with IIS''s + turned back into spaces.';
comment on column mailhound.web_requests.anchor_mailbox is 'HttpProxy AnchorMailbox; ServerInfo~host/path is the CVE-2021-26855 form.';
comment on column mailhound.web_requests.routing_hint is 'HttpProxy RoutingHint, e.g. X-BEResource-Cookie.';
comment on column mailhound.web_requests.backend_cookie is 'HttpProxy BackEndCookie; Server~host/path~version is the broadened CVE-2021-26855 form.';
comment on column mailhound.web_requests.request_bytes is 'Request size in bytes, when logged.';
comment on column mailhound.web_requests.response_bytes is 'Response size in bytes, when logged (bulk EWS/MAPI downloads are large).';
comment on column mailhound.web_requests.indicators is 'Indicators matched: ssrf-anchor, static-post, oab-vdir-write, web-shell, pst-download, campaign-user-agent.';
comment on column mailhound.web_requests.source_file is 'Log file the request was read from.';
comment on column mailhound.web_requests.source_line is 'Line in that file (1-based).';
comment on column mailhound.web_requests.source_offset is 'Byte offset of the line in that file.';
comment on column mailhound.web_requests.raw is 'The log line as read, kept as evidence.';
