-- analyst.mailbox_events finds an event's session among its group's sessions that began in the day
-- before it (sessions_group_time, bounded on both sides) and, for the few sessions longer than a
-- day, through this partial index. Before, the lookup was bounded on one side only, and an app that
-- reads every night (thousands of sessions in one group) made each lookup walk all of them.
create index sessions_long_group_time on mailhound.sessions (tenant, session_group, first_seen)
    where last_seen - first_seen > interval '1 day';
