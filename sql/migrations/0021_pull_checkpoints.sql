-- What `mailhound pull` has fetched from the Office 365 Management Activity API, so a pull that
-- was stopped or killed resumes without gaps or doubles. A content id is written in the same
-- transaction as the last batch of its records; a listing window once all its content is stored.
create table mailhound.pulled_content (
    tenant text not null,
    content_type text not null,
    content_id text not null,
    content_created timestamptz,
    pulled_at timestamptz not null default now(),
    primary key (tenant, content_type, content_id)
);

comment on table mailhound.pulled_content is
    'Content blobs of the Management Activity API whose records are stored (or, expired before they could be fetched, quarantined): listed again, they are not fetched again.';
comment on column mailhound.pulled_content.tenant is 'Tenant: the Directory (tenant) ID the content was pulled from.';
comment on column mailhound.pulled_content.content_type is 'Content type: Audit.Exchange, Audit.General, Audit.AzureActiveDirectory...';
comment on column mailhound.pulled_content.content_id is 'The API''s opaque id of the content blob.';
comment on column mailhound.pulled_content.content_created is 'When the API made the content available (contentCreated).';
comment on column mailhound.pulled_content.pulled_at is 'When its records were committed.';

create table mailhound.pull_checkpoints (
    tenant text not null,
    content_type text not null,
    listed_until timestamptz not null,
    updated_at timestamptz not null default now(),
    primary key (tenant, content_type)
);

comment on table mailhound.pull_checkpoints is
    'How far each tenant''s content type is pulled: every blob listed before listed_until is stored.';
comment on column mailhound.pull_checkpoints.tenant is 'Tenant: the Directory (tenant) ID.';
comment on column mailhound.pull_checkpoints.content_type is 'Content type: Audit.Exchange, Audit.General, Audit.AzureActiveDirectory...';
comment on column mailhound.pull_checkpoints.listed_until is
    'End of the last listing window whose content is all stored; the next pull lists again from a little before it.';
comment on column mailhound.pull_checkpoints.updated_at is 'When the checkpoint was written.';
