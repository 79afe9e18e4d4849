-- function: mailhound.allowlist_in_use() returns boolean
-- what:     Whether the allow-list can suppress or has suppressed any finding: it holds an entry,
--           or a finding is marked suppressed.
-- reads:    mailhound.allowlist, mailhound.findings
-- writes:   nothing
-- callers:  detect and allow add/remove (whether to apply the allow-list); score_scope (whether
--           every score is compared)

-- select 1, not select: Citus plans no empty target list on a distributed table.
create or replace function mailhound.allowlist_in_use() returns boolean
language sql stable
as $$
    select exists (select 1 from mailhound.allowlist)
        or exists (select 1 from mailhound.findings where suppressed_by is not null)
$$;

comment on function mailhound.allowlist_in_use() is
    'Whether the allow-list holds an entry or any finding is suppressed: when not, applying it changes nothing.';
