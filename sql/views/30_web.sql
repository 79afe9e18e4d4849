create or replace view analyst.web_requests as
select
    tenant, request_key, occurred_at, log_kind, server, protocol, method, url_stem, url_query, http_status,
    authenticated_user, client_ip, user_agent, anchor_mailbox, routing_hint, backend_cookie, request_bytes,
    response_bytes, indicators, source_file, source_line, source_offset,
    -- The log line, verbatim, from the chunk ingest packed it in.
    (select substr(c.body, w.raw_start, w.raw_length) from mailhound.raw_chunks as c
        where c.tenant = w.tenant and c.chunk_id = w.raw_chunk) as raw,
    missing_fields
from mailhound.web_requests as w
where ((select mailhound.visible_tenants()) is null or tenant = any ((select mailhound.visible_tenants())::text[]));

comment on view analyst.web_requests is
    'Every request read from Exchange HttpProxy and IIS logs, with the indicators it matches.';
comment on column analyst.web_requests.raw is 'The log line as read, kept as evidence: verbatim, from the chunk ingest packed it in (mailhound.raw_chunks).';

-- A flagged request counts for a session when it came from one of the session's addresses in the
-- 24 hours before the session or up to an hour into its end: exploitation precedes the mailbox reads.
create or replace view analyst.session_web_evidence as
select
    s.tenant,
    s.session_id,
    w.request_key,
    w.occurred_at,
    w.log_kind,
    w.server,
    w.method,
    w.url_stem,
    w.http_status,
    w.authenticated_user,
    w.client_ip,
    w.user_agent,
    w.anchor_mailbox,
    w.indicators,
    w.source_file,
    w.source_line
from mailhound.sessions as s
join mailhound.web_requests as w
    on w.tenant = s.tenant
    and w.client_ip = any(s.client_ips)
    and w.occurred_at between s.first_seen - interval '24 hours' and s.last_seen + interval '1 hour'
where w.indicators <> '{}'
    and ((select mailhound.visible_tenants()) is null or s.tenant = any ((select mailhound.visible_tenants())::text[]));

comment on view analyst.session_web_evidence is
    'Flagged web requests (SSRF, static-file POSTs, web shells...) from a session''s client addresses in the 24 h before it and during it.';
comment on column analyst.session_web_evidence.session_id is 'The mailbox session the request points to (analyst.sessions).';
