create or replace view analyst.blind_windows as
select tenant, kind, subject, starts_at, ends_at, detail
from mailhound.blind_windows
where ((select mailhound.visible_tenants()) is null or tenant = any ((select mailhound.visible_tenants())::text[]));

-- A session is near a blind window when it touches a throttled mailbox within an hour before or
-- during the window, touches a mailbox that never logs reads, falls in or within an hour of a
-- source gap of a week or less (a longer one is a source that does not cover the period, not a
-- hole near this session) or of a capped export, or follows a change to auditing.
create or replace view analyst.session_blind_spots as
select s.tenant, s.session_id, b.kind, b.subject, b.starts_at, b.ends_at, b.detail
from mailhound.sessions as s
join mailhound.blind_windows as b
    on b.tenant = s.tenant
    and (
        (b.kind = 'throttled' and b.subject = any(s.mailbox_owners)
            and s.first_seen <= b.ends_at and s.last_seen >= b.starts_at - interval '1 hour')
        or (b.kind = 'no-mail-access-audit' and b.subject = any(s.mailbox_owners))
        or (b.kind in ('source-gap', 'search-cap') and b.ends_at - b.starts_at <= interval '7 days'
            and s.first_seen <= b.ends_at + interval '1 hour' and s.last_seen >= b.starts_at - interval '1 hour')
        or (b.kind = 'audit-tampering' and s.last_seen >= b.starts_at)
    )
where ((select mailhound.visible_tenants()) is null or s.tenant = any ((select mailhound.visible_tenants())::text[]));

comment on view analyst.blind_windows is
    'What mailhound could not see, from the latest detection run or mailhound coverage: one row per blind window.';
comment on view analyst.session_blind_spots is
    'Sessions in or near a blind window: their findings may understate what happened.';
comment on column analyst.session_blind_spots.session_id is 'Session id (mailhound.sessions) near the blind window.';
