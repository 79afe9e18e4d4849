-- function: mailhound.refresh_working_hours() returns void
-- what:     Writes each tenant's working hours to mailhound.tenant_spans from the last 7 days of its
--           people's sessions.
-- reads:    mailhound.sessions, mailhound.tenant_spans
-- writes:   mailhound.tenant_spans.working_hours
-- callers:  refresh_tenant_spans; detect, once an incremental run's sessions are cut
--
-- Working hours count people (users, delegates, admin logons) once a day each, so a service account
-- with thousands of nightly sessions does not make the night a working hour; the last 7 days keep
-- the cost flat as data grows, and hold a whole working week.

create or replace function mailhound.refresh_working_hours() returns void
language plpgsql
as $$
begin
    update mailhound.tenant_spans as spans
    set working_hours = worked.hours
    from (
        select tenant, coalesce(bit_or(1 << hour) filter (where 2 * people >= busiest), 0) as hours
        from (
            select tenant, hour, people, max(people) over (partition by tenant) as busiest
            from (
                select masks.tenant, hour, sum(masks.days) filter (where masks.mask & (1 << hour) <> 0) as people
                from (
                    select tenant, mask, count(*) as days
                    from (
                        select
                            s.tenant,
                            bit_or(mailhound.active_hours(s.first_seen, s.last_seen)) as mask
                        from mailhound.sessions as s
                        join mailhound.tenant_spans as t on t.tenant = s.tenant
                        -- The earliest tenant's bound too, as a constant the first_seen index can seek.
                        where s.first_seen >= t.data_until - interval '7 days'
                            and s.first_seen >= (select min(data_until) from mailhound.tenant_spans) - interval '7 days'
                            and s.actor is not null and s.actor_kind in ('user', 'delegate', 'admin')
                        group by s.tenant, hashtextextended(lower(s.actor), 0), (s.first_seen at time zone 'UTC')::date
                    ) as people_days
                    group by tenant, mask
                ) as masks
                cross join generate_series(0, 23) as hour
                group by masks.tenant, hour
            ) as per_hour
        ) as hours
        group by tenant
    ) as worked
    where spans.tenant = worked.tenant;
end
$$;

comment on function mailhound.refresh_working_hours() is
    'Writes each tenant''s working hours to mailhound.tenant_spans from the last 7 days of its people''s sessions. Run by detect and refresh_tenant_spans().';
