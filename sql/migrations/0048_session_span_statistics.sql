-- How long sessions last, for the planner: analyst.mailbox_events and detect tell a day's sessions
-- from longer ones by last_seen - first_seen, and without statistics on that expression the
-- planner takes a third of the sessions to last more than a day. Finding where an incremental run
-- starts judging, it then read all of the group-time index rather than the partial index of the
-- long sessions alone (30M events, none longer than a day: 134 ms against 0.08 ms).

create statistics if not exists mailhound.sessions_span on (last_seen - first_seen) from mailhound.sessions;

comment on statistics mailhound.sessions_span is
    'How long sessions last (last_seen - first_seen), sampled by analyze for the planner: the views and detect tell sessions of a day or less from longer ones by it.';
