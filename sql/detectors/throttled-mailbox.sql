-- id:        throttled-mailbox
-- title:     Mailbox throttled while being read: more was taken than the log shows
-- status:    stable
-- severity:  medium   points: 30; 45 when the reader is not the mailbox owner
-- finds:     Sessions with MailItemsAccessed records carrying IsThrottled=True: the mailbox passed
--            the audit throttle (about 1,000 records in 24 hours) and the next 24 hours of its
--            reads are not logged.
-- why:       Throttling is what a bulk download looks like from inside the audit pipeline, and it
--            blinds the log for a day. One finding a session, not one a record (Elastic repeats
--            the alert every five minutes); the blind window is in the evidence.
-- reads:     analyst.mailbox_events(tenant, session_id, actor, mailbox_owner, is_throttled, occurred_at)
-- baseline:  none: throttling is itself the tenant's own ceiling
-- routine:   none: a throttle is the tenant's own ceiling
-- evidence:  mailboxes, throttled_records, first_throttled, blind_until
-- reason:    {actor} hit the audit throttle on {n} mailbox(es) ({owners}); reads until {blind_until} are not logged
-- false-positives: owners indexing a large mailbox on a new device (owner-only: 30 points)
-- attack:    T1114.002, T1562.008
-- tests:     Tests/IntegrationTests/DetectorTests.swift

with throttled as (
    select tenant, session_id, actor, lower(mailbox_owner) as owner, occurred_at
    from analyst.mailbox_events
    where is_throttled and session_id is not null
),

per_session as (
    select
        tenant,
        session_id,
        min(actor) as actor,
        array_agg(distinct owner order by owner) filter (where owner is not null) as owners,
        bool_or(lower(actor) is distinct from owner) as not_owner,
        count(*) as throttled_records,
        min(occurred_at) as first_throttled,
        max(occurred_at) + interval '24 hours' as blind_until
    from throttled
    group by tenant, session_id
)

select
    tenant,
    session_id,
    'throttled-mailbox' as detector_id,
    case when not_owner then 45 else 30 end as points,
    format(
        '%s hit the audit throttle on %s mailbox(es) (%s); reads until %s are not logged',
        coalesce(actor, 'an unnamed identity'), coalesce(cardinality(owners), 0),
        array_to_string(owners[1:5], ', '), to_char(blind_until at time zone 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')
    ) as reason,
    jsonb_build_object(
        'mailboxes', coalesce(owners, '{}'),
        'throttled_records', throttled_records,
        'first_throttled', first_throttled,
        'blind_until', blind_until
    ) as evidence
from per_session;
