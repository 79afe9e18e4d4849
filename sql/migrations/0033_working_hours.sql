-- The hours a tenant's people work, written with its span: "off-hours" in off-hours and
-- operation-context means an hour neither the actor nor the organisation works. An actor whose
-- history is a few point-like sessions (an on-premises admin's cmdlets, all at 14:00) otherwise
-- makes every other office hour look unusual.

alter table mailhound.tenant_spans add column working_hours integer;

comment on column mailhound.tenant_spans.working_hours is
    'The UTC hours its people work, as a 24-bit mask (bit h is hour h): hours in which, over its last 7 days of data, at least half as many people were active as in its busiest hour. Null before the first detection run since migration 0033.';
