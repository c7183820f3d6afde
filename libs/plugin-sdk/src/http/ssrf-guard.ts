import * as ipaddr from 'ipaddr.js';

/**
 * Decides whether an address may be contacted. Only globally routable unicast addresses pass,
 * unless the allowlist names the host, the IP or a CIDR containing it.
 * Blocks loopback, private (RFC 1918, ULA), link-local (incl. 169.254.169.254 metadata), CGNAT,
 * multicast, unspecified and reserved ranges, also when written as IPv4-mapped IPv6.
 */
export class EgressPolicy {
  private readonly hosts = new Set<string>();
  private readonly cidrs: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];

  constructor(allow: readonly string[] = []) {
    for (const entry of allow) {
      const e = entry.trim().toLowerCase();
      if (!e) continue;
      if (ipaddr.isValidCIDR(e)) this.cidrs.push(normaliseCidr(ipaddr.parseCIDR(e)));
      else if (ipaddr.isValid(e)) {
        const ip = normalise(ipaddr.parse(e));
        this.cidrs.push([ip, ip.kind() === 'ipv4' ? 32 : 128]);
      } else this.hosts.add(e);
    }
  }

  isHostAllowlisted(host: string): boolean {
    return this.hosts.has(stripBrackets(host).toLowerCase());
  }

  /** Reason the address is blocked, or undefined when it may be contacted. */
  blockReason(address: string, host?: string): string | undefined {
    if (host && this.isHostAllowlisted(host)) return undefined;
    if (!ipaddr.isValid(address)) return `not an IP address: ${address}`;
    const ip = normalise(ipaddr.parse(address));
    if (this.cidrs.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits))) return undefined;
    const range = ip.range();
    return range === 'unicast' ? undefined : `address range "${range}" is not allowed`;
  }
}

export function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function normalise(ip: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) return (ip as ipaddr.IPv6).toIPv4Address();
  return ip;
}

function normaliseCidr([ip, bits]: [ipaddr.IPv4 | ipaddr.IPv6, number]): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
    return [(ip as ipaddr.IPv6).toIPv4Address(), bits - 96];
  }
  return [ip, bits];
}
