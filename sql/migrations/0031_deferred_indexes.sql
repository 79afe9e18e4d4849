-- A load at least four times the size of the stored events (a first load, say) drops the
-- group-key index before it and builds it again after it (mailhound.defer_session_index): every
-- row goes to a random place in that index, which cost about a fifth of a 1M-record load on a
-- PostgreSQL with default settings, and building it once took a tenth. What was dropped is
-- written here in the same transaction, so a load that dies in between leaves the definition for
-- the next ingest or detect to build again.

create table mailhound.deferred_indexes (
    index_name text primary key,
    definition text not null,
    deferred_at timestamptz not null default now()
);

comment on table mailhound.deferred_indexes is
    'Indexes of mailhound.events a large load dropped to build again once at its end; empty unless a load is running or died.';
comment on column mailhound.deferred_indexes.index_name is 'The index, in schema mailhound.';
comment on column mailhound.deferred_indexes.definition is 'Its definition as pg_get_indexdef gave it, run again to build it.';
comment on column mailhound.deferred_indexes.deferred_at is 'When the load dropped it.';
