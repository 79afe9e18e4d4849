-- A full detect counted each session group's records by every value they carry, hashing and
-- comparing about 280 bytes a record (10M events: 10.3 s of the run's 35.6). Ingest now writes
-- those values' digest with the record, so the count groups by two numbers and a 16-byte digest
-- and reads each set of values from one of its records. Rows stored before have none: the count
-- computes theirs (mailhound.values_digest_of) as it reads them.

alter table mailhound.events add column values_digest uuid;

comment on column mailhound.events.values_digest is
    'The values a session gathers from the record (tenant, actor, SessionId, actor kind, address, client info, client app id, app id, mailbox owner, access type, operation) as a 128-bit digest: mailhound.values_digest_of(). Written by ingest with session_key; null for records stored before it was (the count computes theirs).';
