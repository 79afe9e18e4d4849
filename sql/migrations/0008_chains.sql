-- Chains: intrusions are sequences (SSRF then impersonated reads, grant then read then revoke,
-- export then fetch). A chain links the findings and sessions that form it, and gives each member
-- session a finding of its own, so a sequence outranks any of its single events.

create table mailhound.chains (
    tenant text not null,
    chain_id text not null,
    run_id bigint not null references mailhound.detection_runs (run_id),
    kind text not null,
    points integer not null check (points between 0 and 100),
    reason text not null,
    evidence jsonb not null,
    sessions text[] not null,
    detectors text[] not null,
    first_seen timestamptz,
    last_seen timestamptz,
    primary key (tenant, chain_id)
);

comment on table mailhound.chains is
    'Sequences of findings that form one intrusion, from the latest detection run: one row per chain, linking its sessions and detectors.';
comment on column mailhound.chains.tenant is 'Tenant of the sessions.';
comment on column mailhound.chains.chain_id is 'Chain id: 16 hex digits of its kind and sessions, stable across reruns.';
comment on column mailhound.chains.run_id is 'The detection run that found it.';
comment on column mailhound.chains.kind is 'Which chain (a file under sql/chains), e.g. grant-read-revoke.';
comment on column mailhound.chains.points is 'Points each member session gets as a finding of this kind.';
comment on column mailhound.chains.reason is 'One sentence telling the sequence.';
comment on column mailhound.chains.evidence is 'The member findings'' evidence and times.';
comment on column mailhound.chains.sessions is 'Member sessions (mailhound.sessions), in time order.';
comment on column mailhound.chains.detectors is 'Detectors whose findings form the chain.';
comment on column mailhound.chains.first_seen is 'Start of the first member session.';
comment on column mailhound.chains.last_seen is 'End of the last member session.';
