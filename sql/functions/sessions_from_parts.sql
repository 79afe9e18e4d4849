-- function: mailhound.sessions_from_parts() returns bigint
-- what:     Replaces the sessions with the parts build_session_part() built; returns the sessions.
--           The findings of the sessions that are still there stay, as do the scores of the
--           sessions that did not change: the run judges them all again, and a full run that
--           publishes its sessions before judging them (detect) leaves them until it has.
-- reads:    mailhound.session_parts
-- writes:   mailhound.sessions, mailhound.findings and mailhound.session_scores (those of sessions
--           gone or changed), mailhound.session_parts (emptied)
-- callers:  detect --full, in the run's first transaction, so a run that fails before it commits
--           leaves the previous sessions
--
-- The indexes, the primary key among them, are dropped before the move and built again after it
-- from their own definitions: building an index over the rows at once takes a fraction of the
-- time of adding each row to it (at 10M events 4.6 s instead of 16 s on a slow day: the random
-- session ids made the primary key the costliest). The foreign keys that reference the sessions go
-- and come back with it, once the findings and scores that would break them are gone. Citus keeps
-- them, and empties the findings and scores with the sessions: it spreads such commands over the
-- workers outside this transaction's single connection a node. Only the tables' owner may drop
-- their indexes and constraints, so the function runs as its owner (security definer); it may be
-- called by the owner and mailhound_detector, which may empty these tables anyway.

create or replace function mailhound.sessions_from_parts() returns bigint
language plpgsql security definer
set search_path = pg_catalog, pg_temp
-- The findings and scores kept are a few tens of thousands against the sessions' hundreds of
-- thousands: looking each up by the key takes a fraction of hashing every session, which the
-- planner chooses for the deletes and the scores' key check (10M events: 0.20, 0.14 and 0.10 s
-- against 0.53, 0.83 and 0.41 s).
set enable_hashjoin = off
set enable_mergejoin = off
as $$
declare
    moved bigint;
    -- Statements that build again what was dropped, in the order they must run: the keys and
    -- indexes, then the foreign keys.
    rebuilds text[] := '{}';
    references_back text[] := '{}';
    dropping text;
    rebuild text;
    step integer;
begin
    if exists (select from pg_extension where extname = 'citus') then
        truncate mailhound.sessions, mailhound.findings, mailhound.session_scores;
        insert into mailhound.sessions select * from mailhound.session_parts;
        get diagnostics moved = row_count;
        truncate mailhound.session_parts;
        return moved;
    end if;
    -- Dropped in this order and built again in the reverse: the foreign keys go first and come
    -- back last, once the primary key they reference is there.
    for step, dropping, rebuild in
        select d.step, d.dropping, d.rebuild
        from (
            -- The foreign keys that reference the sessions, and the sessions' own keys.
            select case when c.contype = 'f' then 1 else 2 end as step,
                format('alter table %s drop constraint %I', c.conrelid::regclass, c.conname) as dropping,
                format('alter table %s add constraint %I %s', c.conrelid::regclass, c.conname,
                    pg_get_constraintdef(c.oid)) as rebuild
            from pg_constraint as c
            where (c.confrelid = 'mailhound.sessions'::regclass and c.contype = 'f')
                or (c.conrelid = 'mailhound.sessions'::regclass and c.contype in ('p', 'u', 'x'))
            union all
            select 3, format('drop index %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid)
            from pg_index as i
            where i.indrelid = 'mailhound.sessions'::regclass
                and not exists (select from pg_constraint as c where c.conindid = i.indexrelid)
        ) as d
        order by d.step
    loop
        execute dropping;
        if step = 1 then
            references_back := rebuild || references_back;
        else
            rebuilds := rebuild || rebuilds;
        end if;
    end loop;
    truncate mailhound.sessions;
    insert into mailhound.sessions select * from mailhound.session_parts;
    get diagnostics moved = row_count;
    foreach rebuild in array rebuilds loop
        execute rebuild;
    end loop;
    delete from mailhound.findings as f
    where not exists (
        select 1 from mailhound.sessions as s where s.tenant = f.tenant and s.session_id = f.session_id
    );
    -- A score copies its session's size, start, actor and mailboxes.
    delete from mailhound.session_scores as sc
    where not exists (
        select 1 from mailhound.sessions as s
        where s.tenant = sc.tenant and s.session_id = sc.session_id and s.items = sc.items
            and s.first_seen = sc.first_seen and s.actor is not distinct from sc.actor
            and s.mailbox_owners = sc.mailbox_owners
    );
    foreach rebuild in array references_back loop
        execute rebuild;
    end loop;
    truncate mailhound.session_parts;
    return moved;
end
$$;

comment on function mailhound.sessions_from_parts() is
    'Replaces mailhound.sessions with the parts built by build_session_part(), keeping the findings of the sessions still there and the scores of those unchanged; returns the sessions.';

revoke execute on function mailhound.sessions_from_parts() from public;
