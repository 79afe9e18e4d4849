-- non-owner-sync looked up every Sync record through events_syncs and then read each one's row
-- to find the few made by someone other than the mailbox owner: at 10M events, 207k rows read
-- from the heap to find none, about 5 s. The index now holds only those few, and it was used by
-- nothing else.

drop index mailhound.events_syncs;

create index events_non_owner_syncs on mailhound.events (occurred_at)
    where operation = 'MailItemsAccessed' and access_type = 'Sync' and mailbox_owner is not null
        and (lower(actor) is distinct from lower(mailbox_owner) or actor_kind in ('admin', 'delegate', 'app', 'system'));
