-- A request read from an extract (Test-ProxyLogon's CSV of nine HttpProxy columns, a `#Fields:`
-- trimmed by an administrator) lacks fields a full log carries. Its empty user then means
-- "not in the extract", not "anonymous": the row says which fields its layout did not carry.

alter table mailhound.web_requests add column missing_fields text[];

comment on column mailhound.web_requests.missing_fields is
    'The fields mailhound reads that the request''s log layout did not carry (an extract such as Test-ProxyLogon''s CSV, a trimmed #Fields:): their nulls mean unknown, not empty. Null for a complete layout and for rows stored before migration 0024.';
