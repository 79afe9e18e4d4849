-- id:        search-then-read
-- title:     Mailbox searched by someone other than its owner, then read in bulk
-- status:    stable
-- severity:  medium   points: 35; 50 when the session then reads 100 items or more, or syncs
-- finds:     Sessions in which a non-owner, delegate, admin or app ran SearchQueryInitiatedExchange
--            (or SearchQueryInitiatedSharePoint) on a mailbox and then read items of it.
-- why:       Thieves with access to many mailboxes search for what they want (invoices, "password",
--            a deal name) before reading it. Owners search their own mail all day; others rarely.
-- reads:     analyst.mailbox_events(tenant, session_id, actor, actor_kind, operation, mailbox_owner,
--            items, access_type, occurred_at)
-- baseline:  none: the owner's own searches are excluded
-- routine:   the owner's own searches are excluded; judged per session
-- evidence:  searches, mailboxes, items_after, synced_after, first_search
-- reason:    {actor} searched {n} mailbox(es) they do not own ({owners}), then read {items} items
-- false-positives: assistants searching an executive's mailbox (delegate, small reads: 35 points)
-- attack:    T1114.002, T1083
-- tests:     Tests/IntegrationTests/DetectorTests.swift

with searches as (
    select tenant, session_id, actor, lower(mailbox_owner) as owner, occurred_at
    from analyst.mailbox_events
    where operation in ('SearchQueryInitiatedExchange', 'SearchQueryInitiatedSharePoint')
        and session_id is not null
        and (lower(actor) is distinct from lower(mailbox_owner) or actor_kind in ('app', 'system', 'admin', 'delegate'))
),

per_session as (
    select
        s.tenant,
        s.session_id,
        min(s.actor) as actor,
        count(*) as search_count,
        min(s.occurred_at) as first_search,
        array_agg(distinct s.owner order by s.owner) filter (where s.owner is not null) as owners
    from searches as s
    group by s.tenant, s.session_id
),

followed as (
    select
        p.*,
        coalesce(r.items, 0) as items_after,
        coalesce(r.synced, false) as synced_after
    from per_session as p
    cross join lateral (
        select sum(e.items) as items, bool_or(e.access_type = 'Sync') as synced
        from analyst.mailbox_events as e
        where e.tenant = p.tenant and e.session_id = p.session_id
            and e.operation = 'MailItemsAccessed'
            and e.occurred_at >= p.first_search
    ) as r
)

select
    tenant,
    session_id,
    'search-then-read' as detector_id,
    case when items_after >= 100 or synced_after then 50 else 35 end as points,
    format(
        '%s searched %s mailbox(es) they do not own (%s), then read %s items%s',
        coalesce(actor, 'an unnamed identity'), coalesce(cardinality(owners), 0),
        coalesce(array_to_string(owners[1:5], ', '), 'unnamed'), items_after,
        case when synced_after then ' and synced folders' else '' end
    ) as reason,
    jsonb_build_object(
        'searches', search_count, 'mailboxes', coalesce(owners, '{}'), 'items_after', items_after,
        'synced_after', synced_after, 'first_search', first_search
    ) as evidence
from followed
where items_after > 0 or synced_after;
