-- Who routes each address range (an IP-to-ASN table loaded with mailhound networks load), so
-- novelty can be judged by network owner: a phone hopping between its carrier's /24s stays in one
-- AS, an intruder's VPS does not. Reference data for the whole installation, not per tenant.

create table mailhound.network_owners (
    range_start inet primary key,
    range_end inet not null,
    asn integer not null check (asn > 0),
    country text,
    name text,
    source_file text not null,
    loaded_at timestamptz not null default now(),
    check (family(range_start) = family(range_end) and range_start <= range_end)
);

comment on table mailhound.network_owners is
    'Address ranges and the autonomous system that routes them, from an IP-to-ASN table (iptoasn.com ip2asn TSV); replaced whole by each mailhound networks load. Empty until loaded: detectors then judge networks by /24 and /64.';
comment on column mailhound.network_owners.range_start is 'First address of the range.';
comment on column mailhound.network_owners.range_end is 'Last address of the range.';
comment on column mailhound.network_owners.asn is 'Autonomous system number routing the range.';
comment on column mailhound.network_owners.country is 'ISO 3166 alpha-2 country of the AS registration, when the table names one.';
comment on column mailhound.network_owners.name is 'AS description, e.g. the provider''s name.';
comment on column mailhound.network_owners.source_file is 'The table file the range was loaded from.';
comment on column mailhound.network_owners.loaded_at is 'When the table was loaded (wall clock).';

-- The range holding the address: the last range starting at or below it, if it reaches the
-- address. Ranges do not overlap, so one index probe answers.
create function mailhound.network_owner(address inet)
returns table (asn integer, country text, name text)
language sql stable
as $$
    select o.asn, o.country, o.name
    from (
        select * from mailhound.network_owners
        where range_start <= address
        order by range_start desc
        limit 1
    ) as o
    where o.range_end >= address and family(o.range_start) = family(address)
$$;

comment on function mailhound.network_owner(inet) is
    'The AS number, country and name routing an address, from mailhound.network_owners; no row when unknown.';
