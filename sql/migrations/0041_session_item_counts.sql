-- volume-outlier's bar is the tenant's 99th percentile of the items its sessions read, over every
-- session. Each run read every session for it, though an incremental run changes a day or two of
-- them (10M events: 0.5-0.6 s of a 5-7 s run, in every run). How many sessions read each number of
-- items is now kept per tenant, written whole by a full run and prune and by difference by an
-- incremental cut, as the tenants' spans are.

create table mailhound.session_item_counts (
    tenant text not null,
    items bigint not null,
    sessions bigint not null,
    primary key (tenant, items)
);

comment on table mailhound.session_item_counts is
    'How many of each tenant''s sessions read each number of items: written from every session by a full detect and by prune, and kept by difference by an incremental detect, as mailhound.tenant_spans is.';
comment on column mailhound.session_item_counts.tenant is 'The tenant the sessions belong to.';
comment on column mailhound.session_item_counts.items is 'A number of items read in one session (mailhound.sessions.items).';
comment on column mailhound.session_item_counts.sessions is 'How many of the tenant''s sessions read that many items.';

-- The sessions already cut, so the next incremental run adds to a whole count.
insert into mailhound.session_item_counts (tenant, items, sessions)
select tenant, items, count(*) from mailhound.sessions group by tenant, items;
