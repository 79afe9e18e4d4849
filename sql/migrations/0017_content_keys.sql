-- A key never merges two different records. Each stored record keeps a hash of what it says
-- (its second, operation, actor and mailbox: `content_hash`); a record whose id is already the
-- id of a record that says something else is kept too, under a key derived from its id and its
-- content (`key_source = 'conflict'`). Test exports, anonymized excerpts and redacted RequestIds
-- reuse ids: ten requests of one exploit chain shared one placeholder RequestId and nine were
-- counted as duplicates. Rows stored before keep a null hash and are taken as matching.

alter table mailhound.events add column content_hash bigint, add column key_source text
    check (key_source in ('conflict'));
alter table mailhound.web_requests add column content_hash bigint, add column key_source text
    check (key_source in ('conflict'));

comment on column mailhound.events.content_hash is
    'Hash of what every export of the record carries alike (its second, operation, actor and mailbox): two records under one id that differ here are both kept. Null for rows stored before migration 0017.';
comment on column mailhound.events.key_source is
    'Null: record_id is the record''s own id. conflict: its own id was already the id of a different record, so record_id is mailhound.derived_record_id(own id, content_hash).';
comment on column mailhound.web_requests.content_hash is
    'Hash of what the request says (time, method, URL, status, user, address, agent): two requests under one key that differ here are both kept. Null for rows stored before migration 0017.';
comment on column mailhound.web_requests.key_source is
    'Null: request_key is the request''s own key. conflict: that key was already another request''s, so request_key is mailhound.derived_record_id(own key, content_hash).';
