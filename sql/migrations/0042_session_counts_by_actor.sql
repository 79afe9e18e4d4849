-- The counts keep each actor and SessionId as recorded rather than the least of a key's: the cut
-- tells apart groups whose keys collide by them (mailhound.count_session_events, cut_sessions).

comment on column mailhound.session_counts.actor is
    'The actor text of the records counted, as recorded (the cut takes the group''s actor as its lower case).';
comment on column mailhound.session_counts.source_session_id is
    'The SessionId of the records counted, or none.';
