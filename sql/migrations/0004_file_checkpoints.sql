-- Per-file checkpoints replace the list of files loaded whole: a file that grew is read on from
-- where the last committed batch ended, and a file whose loaded part changed is noticed.

drop table mailhound.loaded_files;

-- Per installation, not per tenant: one file may hold many tenants (a reference table when distributed).
create table mailhound.file_checkpoints (
    path text primary key,
    format text not null,
    loaded_bytes bigint not null,
    next_line bigint not null,
    columns text[],
    head_sha256 text not null,
    tail_sha256 text not null,
    file_size bigint not null,
    modified_at timestamptz not null,
    records bigint not null,
    complete boolean not null,
    resumable boolean not null,
    updated_at timestamptz not null default now()
);

comment on table mailhound.file_checkpoints is
    'How far each input file is loaded; written in the same transaction as the batch it follows, so a crash never loses or doubles a record.';
comment on column mailhound.file_checkpoints.path is 'Path as given to mailhound ingest or found under a watched folder.';
comment on column mailhound.file_checkpoints.format is 'Format read: ual-jsonl, ual-json, purview-csv, mailbox-audit-csv, admin-audit-csv, httpproxy, iis.';
comment on column mailhound.file_checkpoints.loaded_bytes is 'Bytes of the file whose records are committed; reading resumes here.';
comment on column mailhound.file_checkpoints.next_line is 'Line number at loaded_bytes (1-based).';
comment on column mailhound.file_checkpoints.columns is 'Header columns in force at loaded_bytes (CSV header or #Fields), for resuming.';
comment on column mailhound.file_checkpoints.head_sha256 is 'SHA-256 of the first 64 KiB of the loaded part: a replaced file is noticed.';
comment on column mailhound.file_checkpoints.tail_sha256 is 'SHA-256 of the 64 KiB ending at loaded_bytes.';
comment on column mailhound.file_checkpoints.file_size is 'File size when the checkpoint was written.';
comment on column mailhound.file_checkpoints.modified_at is 'File modification time when the checkpoint was written.';
comment on column mailhound.file_checkpoints.records is 'Records read from the file in total (loaded, duplicate, skipped or quarantined).';
comment on column mailhound.file_checkpoints.complete is 'The file was read to its end.';
comment on column mailhound.file_checkpoints.resumable is 'Whether reading can resume at loaded_bytes (not for gzip, JSON arrays or standard input).';
comment on column mailhound.file_checkpoints.updated_at is 'When the checkpoint was written (wall clock).';
