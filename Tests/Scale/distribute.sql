-- mailhound's tables on Citus (Tests/Scale/citus runs this on the coordinator after migrate).
-- Tenant tables are distributed by tenant and co-located, so a tenant's records, sessions and
-- findings sit on one worker and joins on tenant run there. Tables the tenant tables point to
-- (detection_runs) or join per row (network_owners, blind_windows), and the readers' bindings every
-- analyst view filters by (tenant_access), are reference tables, copied to every node: a query held
-- to one tenant runs whole on that tenant's worker. The rest stay on the coordinator: Citus takes no upsert that sets a column with a
-- non-immutable function (now()) on a distributed or reference table, which file_checkpoints,
-- detectors and coverage_counts do.

-- A foreign key between distributed tables is made after both are distributed.
alter table mailhound.findings drop constraint findings_session_fkey;
alter table mailhound.session_scores drop constraint session_scores_session_fkey;

select create_reference_table(t)
from unnest(array[
    'mailhound.detection_runs', 'mailhound.network_owners', 'mailhound.blind_windows', 'mailhound.tenant_access'
]::regclass[]) as t;

select create_distributed_table('mailhound.events', 'tenant');
select create_distributed_table(t, 'tenant', colocate_with => 'mailhound.events')
from unnest(array[
    'mailhound.web_requests', 'mailhound.raw_chunks', 'mailhound.sessions', 'mailhound.session_parts', 'mailhound.session_counts',
    'mailhound.rebuild_groups', 'mailhound.rebuilt_sessions', 'mailhound.findings', 'mailhound.session_scores', 'mailhound.account_scores', 'mailhound.chains', 'mailhound.shared_mailboxes',
    'mailhound.tenant_spans', 'mailhound.session_item_counts', 'mailhound.mailbox_touches', 'mailhound.actor_days', 'mailhound.file_days', 'mailhound.mailbox_read_logging', 'mailhound.quarantine', 'mailhound.allowlist',
    'mailhound.pull_checkpoints', 'mailhound.pulled_content'
]::regclass[]) as t;

alter table mailhound.findings add constraint findings_session_fkey
    foreign key (tenant, session_id) references mailhound.sessions (tenant, session_id) on delete cascade not valid;
alter table mailhound.session_scores add constraint session_scores_session_fkey
    foreign key (tenant, session_id) references mailhound.sessions (tenant, session_id) on delete cascade not valid;
