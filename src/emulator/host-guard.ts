import { isIPv4, isIPv6 } from 'node:net';

/**
 * The emulators answer only requests addressed to a loopback name or to a host name they were told about, as
 * development servers do (Vite `server.allowedHosts`, webpack-dev-server `allowedHosts`). A page on another site
 * can point its own name at 127.0.0.1 (DNS rebinding) and then read answers as same-origin: without this check it
 * could call DescribeUserPoolClient and read the client secret. The browser always sends that page's name in
 * `Host`, which is what is checked here.
 */
export type HostGuard = (hostHeader: string | undefined) => boolean;

/** A Host header: a DNS name or IPv4 address, or an IPv6 address in brackets, with an optional port. */
const HOST_HEADER = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9_.-]+))(?::\d{1,5})?$/i;
/** Addresses that bind every interface: listening on one names no host. */
const WILDCARD = new Set(['0.0.0.0', '::', '[::]', '']);

/** The host name of a Host header, lower-case, without port, brackets or a final dot; undefined if malformed. */
export function hostNameOf(hostHeader: string): string | undefined {
  const match = HOST_HEADER.exec(hostHeader.trim());
  if (!match) return undefined;
  const ipv6 = match[1];
  if (ipv6 !== undefined) {
    if (!isIPv6(ipv6)) return undefined;
    // The URL parser writes an IPv6 address in its one canonical form: 0:0:0:0:0:0:0:1 becomes ::1.
    return new URL(`http://[${ipv6}]/`).hostname.slice(1, -1);
  }
  return (match[2] ?? '').toLowerCase().replace(/\.$/, '');
}

/** localhost and its subdomains (RFC 6761 §6.3), 127.0.0.0/8 and ::1. */
export function isLoopbackName(name: string): boolean {
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIPv4(name)) return name.startsWith('127.');
  return name === '::1';
}

/** The name to allow for a listen address given explicitly; undefined for a wildcard address. */
export function listenHostName(host: string): string | undefined {
  const name = hostNameOf(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
  return name === undefined || WILDCARD.has(name) ? undefined : name;
}

/**
 * A guard accepting loopback names plus `allowed`: exact host names or addresses, or `.example.test` for that
 * domain and every name under it. Throws on an entry that is neither, so a typo does not silently lock a host out.
 */
export function createHostGuard(allowed: readonly string[] = []): HostGuard {
  const exact = new Set<string>();
  const domains: string[] = [];
  for (const entry of allowed) {
    const trimmed = entry.trim();
    const name = listenHostName(trimmed.startsWith('.') ? trimmed.slice(1) : trimmed);
    if (name === undefined || trimmed === '.') throw new Error(`not a host name: ${JSON.stringify(entry)}`);
    if (trimmed.startsWith('.')) domains.push(name);
    else exact.add(name);
  }
  return (hostHeader) => {
    const name = hostHeader === undefined ? undefined : hostNameOf(hostHeader);
    if (name === undefined) return false;
    if (isLoopbackName(name) || exact.has(name)) return true;
    return domains.some((domain) => name === domain || name.endsWith(`.${domain}`));
  };
}
