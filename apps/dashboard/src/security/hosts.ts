/**
 * The Host allow-list. A browser page from another site can reach the dashboard on 127.0.0.1 by DNS
 * rebinding (its own name resolving to 127.0.0.1): the request then carries the attacker's name in `Host`.
 * Only names the user chose are accepted: the address the server was bound to, the loopback names and
 * every `--allowed-host`.
 */

/** Loopback names always accepted (the server listens on 127.0.0.1 by default). */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'] as const;

/** A hostname as `--allowed-host` takes it: a DNS name or an IP address, no scheme, port or path. */
export const HOSTNAME_PATTERN =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])$/;

/** Normalises a hostname for comparison: lower case, an IPv6 address in brackets. */
export function normaliseHostname(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.includes(':') && !lower.startsWith('[') ? `[${lower}]` : lower;
}

/**
 * The hostname of a `Host` header value (`127.0.0.1:3000` → `127.0.0.1`, `[::1]:3000` → `[::1]`), or null when
 * the value is not `hostname[:port]` (empty, a path, userinfo, a bad port).
 */
export function hostnameOfHeader(host: string | null): string | null {
  if (!host) return null;
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]/@\s]+)(?::(\d{1,5}))?$/.exec(host.trim());
  if (!m?.[1]) return null;
  if (m[2] !== undefined && Number(m[2]) > 65535) return null;
  return normaliseHostname(m[1]);
}

/** The accepted hostnames: loopback names, the bound address (unless a wildcard) and the extra ones. */
export function allowedHostnames(bound: string, extra: readonly string[]): Set<string> {
  const names = new Set<string>(LOOPBACK_HOSTS);
  const b = normaliseHostname(bound);
  if (b !== '0.0.0.0' && b !== '[::]') names.add(b);
  for (const e of extra) names.add(normaliseHostname(e));
  return names;
}
