-- Every detect scored every account again from all the findings, though an incremental run changes
-- the findings only of the sessions it judges and of the detectors it judges whole (10M events:
-- 0.8-0.9 s of a 5-7 s run, in every run). Each account now keeps when its latest scored session
-- began, so a run can tell the accounts none of whose sessions it judged, and keep their scores.

alter table mailhound.account_scores add column last_session_start timestamptz;

comment on column mailhound.account_scores.last_session_start is
    'When the latest of the account''s scored sessions began: an incremental detect scores again the accounts with a session from the first session it judges on (null, as before this column: scored again).';
