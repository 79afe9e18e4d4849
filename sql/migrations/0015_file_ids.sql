-- Files are named by their canonical path (absolute, links resolved) from now on, and a
-- checkpoint keeps which file that path named: its device and inode. Checkpoints written before
-- keep null there; their files, named by the path as typed then, are read again once under the
-- canonical path (dedupe keeps that exact).

alter table mailhound.file_checkpoints add column device numeric, add column inode numeric;

comment on column mailhound.file_checkpoints.device is
    'Device of the file the path named when the checkpoint was written (st_dev); null for checkpoints from before 0015.';
comment on column mailhound.file_checkpoints.inode is
    'Inode of that file (st_ino): with device, which file was read, whatever the path names later.';
comment on column mailhound.file_checkpoints.path is
    'Canonical path of the file (absolute, symbolic links resolved; as given before migration 0015), - for standard input.';
