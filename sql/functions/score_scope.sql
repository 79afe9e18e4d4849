-- function: mailhound.score_scope()
--           returns table (everything boolean, judged_from timestamptz, judged_whole text[],
--           found_whole text[])
-- what:     Which stored scores a score refresh compares again: every one (everything), or those
--           of the sessions that begin at or after judged_from and of the sessions with a finding,
--           now (found_whole: their ids) or before, of a detector in judged_whole.
-- reads:    mailhound.judged_from(), the setting mailhound.judged_whole,
--           mailhound.allowlist_in_use(), mailhound.findings
-- writes:   nothing
-- callers:  refresh_session_scores, refresh_account_scores
--
-- An incremental detect deletes and finds again the findings of the sessions it judges, and those
-- of the detectors it judges whole, which it names in the setting mailhound.judged_whole (an
-- array literal); no other finding changes. Without that setting (allow add and remove, prune), in
-- a full run, or where an allow-list may have suppressed or restored any finding, every score is
-- compared. The ids of found_whole are a superset across tenants: a session in two tenants with one
-- id is only compared once more.

create or replace function mailhound.score_scope()
returns table (everything boolean, judged_from timestamptz, judged_whole text[], found_whole text[])
language plpgsql stable
as $$
begin
    judged_from := mailhound.judged_from();
    judged_whole := nullif(current_setting('mailhound.judged_whole', true), '')::text[];
    everything := judged_whole is null or judged_from = '-infinity' or mailhound.allowlist_in_use();
    found_whole := '{}';
    if not everything then
        select coalesce(array_agg(distinct f.session_id), '{}') into found_whole
        from mailhound.findings as f
        where f.detector_id = any(judged_whole);
    end if;
    return next;
end
$$;

comment on function mailhound.score_scope() is
    'Which stored scores a score refresh compares: all (everything), or those of the sessions from judged_from on and of the sessions a detector judged whole (the setting mailhound.judged_whole, set by detect) finds now (found_whole) or found before.';
