-- The rankings read each scored session's score, its detectors' sentences and the few session
-- columns they sort and group by. Computing those from the findings and the sessions on every
-- `sessions`, `accounts` and `session ID` read most of a second at 10M events, most of it fetching
-- the scored sessions' rows. detect now stores them once a run (mailhound.refresh_session_scores),
-- and the analyst views rank from this table.

create table mailhound.session_scores (
    tenant text not null,
    session_id text not null,
    score integer not null check (score between 0 and 99),
    items bigint not null,
    first_seen timestamptz not null,
    actor text,
    mailbox_owners text[] not null,
    detectors text[] not null,
    reasons text[] not null,
    evidence jsonb not null,
    primary key (tenant, session_id),
    constraint session_scores_session_fkey foreign key (tenant, session_id)
        references mailhound.sessions (tenant, session_id) on delete cascade
);

comment on table mailhound.session_scores is
    'One row per session with an unsuppressed finding of the latest detection run: its score and what the rankings sort and group by. Filled by mailhound.refresh_session_scores() at the end of each run; read through analyst.ranked_sessions and analyst.ranked_accounts.';
comment on column mailhound.session_scores.tenant is 'Tenant of the session.';
comment on column mailhound.session_scores.session_id is 'The session (mailhound.sessions).';
comment on column mailhound.session_scores.score is
    'Score 0-99: 100 * (1 - product of (1 - points/100)) over the unsuppressed findings (mailhound.combined_score).';
comment on column mailhound.session_scores.items is 'The session''s items (a tie-break of the ranking).';
comment on column mailhound.session_scores.first_seen is 'The session''s first event (a tie-break of the ranking).';
comment on column mailhound.session_scores.actor is 'The session''s acting identity (accounts by role actor).';
comment on column mailhound.session_scores.mailbox_owners is 'The mailboxes the session touched (accounts by role owner).';
comment on column mailhound.session_scores.detectors is 'Detectors that fired, strongest first.';
comment on column mailhound.session_scores.reasons is 'One sentence per finding, strongest first.';
comment on column mailhound.session_scores.evidence is 'Evidence of each finding, keyed by detector id.';

-- The findings already stored score at once, as the run that made them would have. (A new
-- database has none, nor yet the functions, which are installed after the migrations.)
do $$
begin
    if exists (select from mailhound.findings) then
        insert into mailhound.session_scores
        select
            s.tenant, s.session_id, mailhound.combined_score(f.points), s.items, s.first_seen, s.actor,
            s.mailbox_owners,
            array_agg(f.detector_id order by f.points desc, f.detector_id),
            array_agg(f.reason order by f.points desc, f.detector_id),
            jsonb_object_agg(f.detector_id, f.evidence)
        from mailhound.findings as f
        join mailhound.sessions as s using (tenant, session_id)
        where f.suppressed_by is null and f.points > 0
        group by s.tenant, s.session_id;
    end if;
end
$$;
