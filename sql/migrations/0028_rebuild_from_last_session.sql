-- An incremental detect cut each group with new events again from its first event: a group of an
-- actor, address and app spans the whole data, so a day's new events made it read months of each
-- group's history (3.4 s of a 13 s run at 10M events). New events can only change the group's
-- sessions from the latest one that began at or before the earliest of them: the cut starts there.

alter table mailhound.rebuild_groups add column cut_from timestamptz not null default '-infinity';

comment on column mailhound.rebuild_groups.cut_from is
    'Where the group is cut again: the start of its latest stored session that began at or before its earliest new event (-infinity: from its first event). Sessions before it cannot change.';
