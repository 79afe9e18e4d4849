-- function: mailhound.network_block(address inet) returns cidr
-- what:     The network block an address belongs to when no IP-to-ASN table says more: its /24 for
--           IPv4, its /64 for IPv6.
-- reads:    its argument
-- writes:   nothing
-- callers:  routine, campaign, new-client, operation-context, ediscovery-export

-- A phone or an office NAT pool moves within a block; an intruder's host is in another.
create or replace function mailhound.network_block(address inet) returns cidr
language sql immutable
as $$ select network(set_masklen(address, case when family(address) = 4 then 24 else 64 end)) $$;

comment on function mailhound.network_block(inet) is
    'The /24 (IPv4) or /64 (IPv6) block holding the address: what "the same network" means without an IP-to-ASN table.';
