import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/**
 * Where dakgraph may send a partner's webhooks: the SSRF boundary. A webhook makes our servers open a
 * connection to a URL someone else chose, so in production that URL must not reach anything of ours
 * (loopback, the private network, link-local, cloud metadata services) by a name, a literal address or an
 * IPv4 address dressed as IPv6. Checked at registration and again at every send (DNS may change in
 * between); the sender then connects to the very address checked here, so a name that re-resolves
 * elsewhere in between (DNS rebinding) is never followed.
 *
 * Pure apart from the injected resolver, so the rules are tested over literal addresses.
 */

/** Resolves a host name to its addresses (every A and AAAA record). */
export type HostResolver = (host: string) => Promise<string[]>;

export const resolveWithDns: HostResolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

export interface WebhookTargetRules {
  /** Production: https only and public addresses only. Development also allows http and loopback. */
  production: boolean;
  resolve: HostResolver;
}

export type WebhookTargetCheck =
  | { ok: true; url: URL; /** The checked addresses; connect to one of these, never re-resolve. */ addresses: string[] }
  | { ok: false; reason: string };

export const MAX_WEBHOOK_URL_LENGTH = 2048;

/**
 * The checks that need no DNS: a URL, of the allowed scheme, without credentials. Answers the parsed URL
 * (WHATWG parsing also turns "http://2130706433/" and "http://0x7f.1/" into 127.0.0.1, which the address
 * rules then see), or why not.
 */
export function parseWebhookUrl(text: string, production: boolean): { ok: true; url: URL } | { ok: false; reason: string } {
  if (text.length > MAX_WEBHOOK_URL_LENGTH) return { ok: false, reason: `is longer than ${MAX_WEBHOOK_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, reason: 'is not an absolute URL such as "https://shop.example.in/hooks/dakgraph"' };
  }
  const allowed = production ? ['https:'] : ['https:', 'http:'];
  if (!allowed.includes(url.protocol)) {
    return { ok: false, reason: production ? 'must use https' : 'must use https (or http, outside production)' };
  }
  // Credentials in a URL end up in logs and in the partner's screen; the signature authenticates us instead.
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'must not contain a user name or password' };
  if (url.hostname === '') return { ok: false, reason: 'has no host' };
  return { ok: true, url };
}

/** The host of a URL as an address or a name: IPv6 literals lose their brackets. */
export const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Whether an address may be connected to; null when it may, else the reason. Outside production only
 * cloud metadata services are refused (a developer's receiver runs on loopback or the local network).
 */
export function refusedAddress(address: string, production: boolean): string | null {
  const bytes = addressBytes(address);
  if (!bytes) return `"${address}" is not an IP address`;
  const reason = classify(bytes);
  if (reason === null) return null;
  if (!production && reason !== METADATA) return null;
  return reason;
}

/**
 * The whole check of a target URL: the URL rules, then every address its host is or resolves to. Every
 * address must pass, since any one of them may be the one connected to.
 */
export async function checkWebhookTarget(text: string, rules: WebhookTargetRules): Promise<WebhookTargetCheck> {
  const parsed = parseWebhookUrl(text, rules.production);
  if (!parsed.ok) return parsed;
  const host = hostOf(parsed.url);
  let addresses: string[];
  if (isIP(host) !== 0) {
    addresses = [host];
  } else {
    if (rules.production && (host === 'localhost' || host.endsWith('.localhost'))) return { ok: false, reason: 'must not be a local host name' };
    try {
      addresses = await rules.resolve(host);
    } catch {
      return { ok: false, reason: `has a host ("${host}") that does not resolve` };
    }
    if (addresses.length === 0) return { ok: false, reason: `has a host ("${host}") that does not resolve` };
  }
  for (const address of addresses) {
    const reason = refusedAddress(address, rules.production);
    if (reason !== null) return { ok: false, reason: `resolves to ${address}, ${reason}; webhooks go to public addresses only` };
  }
  return { ok: true, url: parsed.url, addresses };
}

const METADATA = 'a cloud metadata address';

/** A range of addresses (16 bytes, IPv4 as IPv4-mapped IPv6) with the reason it is refused. */
interface Range {
  prefix: number[];
  bits: number;
  reason: string;
}

const v4 = (dotted: string, bits: number, reason: string): Range => ({ prefix: [...V4_MAPPED, ...dotted.split('.').map(Number)], bits: 96 + bits, reason });
const v6 = (text: string, bits: number, reason: string): Range => ({ prefix: [...ipv6Bytes(text)!], bits, reason });
const V4_MAPPED = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

// Most specific first: the metadata addresses sit inside link-local and unique-local ranges and must be
// named as what they are (they are refused in development too).
const REFUSED: Range[] = [
  v4('169.254.169.254', 32, METADATA),
  v4('168.63.129.16', 32, METADATA), // Azure's host agent, a public address
  v6('fd00:ec2::254', 128, METADATA),
  v4('0.0.0.0', 8, 'an unspecified address'),
  v4('10.0.0.0', 8, 'a private address'),
  v4('100.64.0.0', 10, 'a shared (CGNAT) address'),
  v4('127.0.0.0', 8, 'a loopback address'),
  v4('169.254.0.0', 16, 'a link-local address'),
  v4('172.16.0.0', 12, 'a private address'),
  v4('192.0.0.0', 24, 'a reserved address'),
  v4('192.0.2.0', 24, 'a documentation address'),
  v4('192.168.0.0', 16, 'a private address'),
  v4('198.18.0.0', 15, 'a benchmarking address'),
  v4('198.51.100.0', 24, 'a documentation address'),
  v4('203.0.113.0', 24, 'a documentation address'),
  v4('224.0.0.0', 4, 'a multicast address'),
  v4('240.0.0.0', 4, 'a reserved address'),
  v6('::', 128, 'an unspecified address'),
  v6('::1', 128, 'a loopback address'),
  v6('100::', 64, 'a discard address'),
  v6('2001:db8::', 32, 'a documentation address'),
  v6('fc00::', 7, 'a private (unique local) address'),
  v6('fe80::', 10, 'a link-local address'),
  v6('fec0::', 10, 'a site-local address'),
  v6('ff00::', 8, 'a multicast address'),
];

function inRange(bytes: Uint8Array, range: Range): boolean {
  for (let bit = 0; bit < range.bits; bit += 8) {
    const width = Math.min(8, range.bits - bit);
    const mask = (0xff << (8 - width)) & 0xff;
    if ((bytes[bit / 8]! & mask) !== (range.prefix[bit / 8]! & mask)) return false;
  }
  return true;
}

/**
 * The reason an address is refused, or null. IPv6 forms that carry an IPv4 address (IPv4-compatible
 * ::a.b.c.d, NAT64 64:ff9b::a.b.c.d, 6to4 2002:aabb:ccdd::) are judged by that IPv4 address too, since
 * they can lead to it.
 */
function classify(bytes: Uint8Array): string | null {
  for (const range of REFUSED) if (inRange(bytes, range)) return range.reason;
  const embedded = embeddedIpv4(bytes);
  if (embedded) for (const range of REFUSED) if (inRange(embedded, range)) return range.reason;
  return null;
}

function embeddedIpv4(bytes: Uint8Array): Uint8Array | null {
  const zeros = (from: number, to: number) => bytes.subarray(from, to).every((byte) => byte === 0);
  let v4Bytes: Uint8Array | null = null;
  if (zeros(0, 12)) v4Bytes = bytes.subarray(12, 16); // ::a.b.c.d (deprecated IPv4-compatible)
  else if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(4, 12)) v4Bytes = bytes.subarray(12, 16);
  else if (bytes[0] === 0x20 && bytes[1] === 0x02) v4Bytes = bytes.subarray(2, 6);
  return v4Bytes ? Uint8Array.from([...V4_MAPPED, ...v4Bytes]) : null;
}

/** An address as 16 bytes (IPv4 as IPv4-mapped IPv6); null when it is not an address. */
export function addressBytes(address: string): Uint8Array | null {
  const kind = isIP(address);
  if (kind === 4) return Uint8Array.from([...V4_MAPPED, ...address.split('.').map(Number)]);
  if (kind === 6) return ipv6Bytes(address);
  return null;
}

/** Parses an IPv6 address (with "::", an embedded dotted IPv4 tail, and a zone "%eth0" ignored). */
function ipv6Bytes(text: string): Uint8Array | null {
  const address = text.split('%')[0]!.toLowerCase();
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (const [index, piece] of pieces.entries()) {
      if (index === pieces.length - 1 && piece.includes('.')) {
        if (isIP(piece) !== 4) return null;
        const [a, b, c, d] = piece.split('.').map(Number) as [number, number, number, number];
        out.push((a << 8) | b, (c << 8) | d);
      } else {
        if (!/^[0-9a-f]{1,4}$/.test(piece)) return null;
        out.push(parseInt(piece, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return null;
  const all = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return Uint8Array.from(all.flatMap((group) => [group >> 8, group & 0xff]));
}
