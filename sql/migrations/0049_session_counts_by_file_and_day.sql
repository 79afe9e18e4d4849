-- A database's first full detect counted its coverage from scratch, reading every event a second
-- time beside the sessions' own count (7.6 s of a core at 10M events). The session counts now
-- keep each record's file, and no row spans a UTC day, so the coverage's file days and mailboxes
-- are added up from them instead (mailhound.count_coverage_from_session_counts()).

alter table mailhound.session_counts add column source_file text;

comment on column mailhound.session_counts.source_file is 'As mailhound.events.source_file.';

comment on table mailhound.session_counts is
    'Scratch space of detect: the records of each session group counted into one row per distinct set of values, file and UTC day (and half hour for a group without a SessionId), filled by mailhound.count_session_events() and cut into sessions by mailhound.cut_sessions(). Empty between runs.';
