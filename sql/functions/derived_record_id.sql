-- function: mailhound.derived_record_id(id uuid, content_hash bigint) returns uuid
-- what:     The key of a record whose own id is already another record's: derived from both.
-- reads:    nothing
-- writes:   nothing
-- callers:  ingest, storing records whose id a different record holds (key_source = 'conflict')

create or replace function mailhound.derived_record_id(id uuid, content_hash bigint) returns uuid
language sql immutable parallel safe
as $$
    select md5(id::text || '/' || content_hash::text)::uuid
$$;

comment on function mailhound.derived_record_id(uuid, bigint) is
    'Key of a record stored under key_source = ''conflict'': md5 of its own id and its content hash, as a uuid.';
