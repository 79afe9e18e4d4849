-- Indexes the bulk of the records do not pay for. A mail read (MailItemsAccessed, most of any
-- tenant's records) was entered in events_actor_time, though the only reads by actor are of the
-- other operations: the timeline's admin operations by a session's actor, export removals by
-- their requester. Each btree entry costs the ingest about as much as the row itself, so that
-- index now holds the other operations only.
drop index mailhound.events_actor_time;
create index events_actor_time on mailhound.events (tenant, lower(actor), occurred_at)
    where operation <> 'MailItemsAccessed';
