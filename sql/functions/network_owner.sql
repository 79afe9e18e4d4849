-- function: mailhound.network_owner(address inet) returns table (asn, country, name)
-- what:     Who routes an address, from the loaded IP-to-ASN table.
-- reads:    mailhound.network_owners
-- writes:   nothing
-- callers:  analyst.network_owners users, new-client, token-replay, operation-context,
--           consented-app-reads

-- The last range starting at or below the address, if it reaches the address. Ranges do not
-- overlap, so one index probe answers. The body names its parameter as network_owner.address, so
-- a detector held to one tenant on Citus can run it written in (TenantHold).
create or replace function mailhound.network_owner(address inet)
returns table (asn integer, country text, name text)
language sql stable
as $$
    select o.asn, o.country, o.name
    from (
        select * from mailhound.network_owners
        where range_start <= network_owner.address
        order by range_start desc
        limit 1
    ) as o
    where o.range_end >= network_owner.address and family(o.range_start) = family(network_owner.address)
$$;

comment on function mailhound.network_owner(inet) is
    'The AS number, country and name routing an address, from mailhound.network_owners; no row when unknown.';
