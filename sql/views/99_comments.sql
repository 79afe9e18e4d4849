-- View columns that mirror a table column carry the table column's comment, so each sentence is
-- written once. Columns without a source here are commented in their view's own file.
do $$
declare
    mapping record;
begin
    for mapping in
        select view_column.attrelid as view_oid, view_column.attnum as view_attnum, d.description
        from pg_attribute as view_column
        join pg_class as v on v.oid = view_column.attrelid
        join pg_namespace as vn on vn.oid = v.relnamespace and vn.nspname = 'analyst'
        join (values
            ('mailbox_events', 'events'),
            ('mail_app_consents', 'events'),
            ('consented_app_sessions', 'sessions'),
            ('quarantine', 'quarantine'),
            ('file_checkpoints', 'file_checkpoints'),
            ('pull_checkpoints', 'pull_checkpoints'),
            ('sessions', 'sessions'),
            ('shared_mailboxes', 'shared_mailboxes'),
            ('tenant_spans', 'tenant_spans'),
            ('session_item_counts', 'session_item_counts'),
            ('mailbox_touches', 'mailbox_touches'),
            ('actor_days', 'actor_days'),
            ('other_mailbox_touches', 'sessions'),
            ('network_owners', 'network_owners'),
            ('detectors', 'detectors'),
            ('detection_runs', 'detection_runs'),
            ('findings', 'findings'),
            ('allowlist', 'allowlist'),
            ('chains', 'chains'),
            ('ranked_sessions', 'sessions'),
            ('web_requests', 'web_requests'),
            ('session_web_evidence', 'web_requests'),
            ('blind_windows', 'blind_windows'),
            ('session_blind_spots', 'blind_windows')
        ) as m(view_name, table_name) on m.view_name = v.relname
        join pg_class as t on t.relname = m.table_name
        join pg_namespace as tn on tn.oid = t.relnamespace and tn.nspname = 'mailhound'
        join pg_attribute as table_column
            on table_column.attrelid = t.oid and table_column.attname = view_column.attname
        join pg_description as d on d.objoid = t.oid and d.objsubid = table_column.attnum
        where view_column.attnum > 0
            and col_description(view_column.attrelid, view_column.attnum) is null
    loop
        execute format(
            'comment on column %s.%I is %L',
            mapping.view_oid::regclass,
            (select attname from pg_attribute where attrelid = mapping.view_oid and attnum = mapping.view_attnum),
            mapping.description
        );
    end loop;
end
$$;
