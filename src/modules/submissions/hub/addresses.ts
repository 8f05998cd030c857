import { isIP } from 'node:net';

/**
 * Which network addresses a webhook may not be sent to: this machine, private networks, link-local
 * (cloud metadata services live at 169.254.169.254), shared, reserved, documentation and
 * multicast ranges. A body's admin types the webhook address, so without this check anyone
 * with that role could make Joinedup POST to services inside its own network (SSRF).
 *
 * Pure: no DNS here. The delivery resolves the name and checks every address it gets (see
 * webhook-request.ts).
 */

/** A range as the first bytes of the address and the number of bits that must match. */
interface Range {
  prefix: readonly number[];
  bits: number;
  why: string;
}

const V4: readonly Range[] = [
  { prefix: [0], bits: 8, why: '"this network" (0.0.0.0/8)' },
  { prefix: [10], bits: 8, why: 'private (10.0.0.0/8)' },
  { prefix: [100, 64], bits: 10, why: 'shared address space (100.64.0.0/10)' },
  { prefix: [127], bits: 8, why: 'loopback (127.0.0.0/8)' },
  { prefix: [169, 254], bits: 16, why: 'link-local (169.254.0.0/16)' },
  { prefix: [172, 16], bits: 12, why: 'private (172.16.0.0/12)' },
  { prefix: [192, 0, 0], bits: 24, why: 'IETF protocol assignments (192.0.0.0/24)' },
  { prefix: [192, 0, 2], bits: 24, why: 'documentation (192.0.2.0/24)' },
  { prefix: [192, 88, 99], bits: 24, why: '6to4 relay (192.88.99.0/24)' },
  { prefix: [192, 168], bits: 16, why: 'private (192.168.0.0/16)' },
  { prefix: [198, 18], bits: 15, why: 'benchmarking (198.18.0.0/15)' },
  { prefix: [198, 51, 100], bits: 24, why: 'documentation (198.51.100.0/24)' },
  { prefix: [203, 0, 113], bits: 24, why: 'documentation (203.0.113.0/24)' },
  { prefix: [224], bits: 4, why: 'multicast (224.0.0.0/4)' },
  { prefix: [240], bits: 4, why: 'reserved (240.0.0.0/4, with 255.255.255.255)' },
];

const V6: readonly Range[] = [
  // ::/128, ::1/128 and the deprecated IPv4-compatible addresses ::a.b.c.d.
  {
    prefix: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    bits: 96,
    why: 'unspecified or loopback (::/96)',
  },
  { prefix: [0x01, 0x00, 0, 0, 0, 0, 0, 0], bits: 64, why: 'discard (100::/64)' },
  { prefix: [0x20, 0x01, 0x0d, 0xb8], bits: 32, why: 'documentation (2001:db8::/32)' },
  { prefix: [0xfc], bits: 7, why: 'unique local (fc00::/7)' },
  { prefix: [0xfe, 0x80], bits: 10, why: 'link-local (fe80::/10)' },
  { prefix: [0xfe, 0xc0], bits: 10, why: 'site-local (fec0::/10)' },
  { prefix: [0xff], bits: 8, why: 'multicast (ff00::/8)' },
];

/** IPv6 ranges that carry an IPv4 address: judged by the IPv4 address inside. */
const EMBEDDING: readonly { prefix: readonly number[]; bits: number; at: number }[] = [
  { prefix: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], bits: 96, at: 12 }, // ::ffff:a.b.c.d
  { prefix: [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], bits: 96, at: 12 }, // NAT64 64:ff9b::/96
  { prefix: [0x20, 0x02], bits: 16, at: 2 }, // 6to4 2002:a.b.c.d::/48
];

function matches(bytes: Uint8Array, prefix: readonly number[], bits: number): boolean {
  for (let bit = 0; bit < bits; bit += 8) {
    const index = bit / 8;
    const mask = bits - bit >= 8 ? 0xff : (0xff << (8 - (bits - bit))) & 0xff;
    if (((bytes[index] ?? 0) & mask) !== ((prefix[index] ?? 0) & mask)) return false;
  }
  return true;
}

function ipv4Bytes(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255))
    return undefined;
  return Uint8Array.from(parts.map(Number));
}

function ipv6Bytes(text: string): Uint8Array | undefined {
  let groups = text;
  let v4Words: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    // A dotted IPv4 address as the last 32 bits: `::ffff:10.0.0.1`.
    const v4 = ipv4Bytes(text.slice(lastColon + 1));
    if (!v4) return undefined;
    v4Words = [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!];
    groups = text.slice(0, lastColon + 1);
    if (!groups.endsWith('::')) groups = groups.slice(0, -1);
  }
  const halves = groups.split('::');
  if (halves.length > 2) return undefined;
  const parse = (half: string) => (half === '' ? [] : half.split(':'));
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  if (![...head, ...tail].every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  const written = head.length + tail.length + v4Words.length;
  if (halves.length === 1 ? written !== 8 : written > 7) return undefined;
  const words = [
    ...head.map((g) => parseInt(g, 16)),
    ...Array<number>(8 - written).fill(0),
    ...tail.map((g) => parseInt(g, 16)),
    ...v4Words,
  ];
  return Uint8Array.from(words.flatMap((w) => [w >> 8, w & 0xff]));
}

/**
 * The bytes of an IP address written as text (IPv4 dotted, or IPv6 in any of its forms, with or
 * without brackets or a zone such as `%eth0`); undefined when it is not one.
 */
export function addressBytes(text: string): Uint8Array | undefined {
  const bare = text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) return ipv4Bytes(bare);
  if (family === 6) return ipv6Bytes(bare);
  return undefined;
}

/**
 * Why a webhook may not be sent to this IP address ("loopback (127.0.0.0/8)"), or undefined when
 * it is a public address. Text that is not an IP address is refused too.
 *
 * @example blockedAddressReason('169.254.169.254') // 'link-local (169.254.0.0/16)'
 * @example blockedAddressReason('2a00:1450:4009:81f::200e') // undefined
 */
export function blockedAddressReason(text: string): string | undefined {
  const bytes = addressBytes(text);
  if (!bytes) return 'not an IP address';
  if (bytes.length === 4) return V4.find((r) => matches(bytes, r.prefix, r.bits))?.why;
  for (const embedding of EMBEDDING)
    if (matches(bytes, embedding.prefix, embedding.bits)) {
      const inner = bytes.slice(embedding.at, embedding.at + 4);
      const why = V4.find((r) => matches(inner, r.prefix, r.bits))?.why;
      return why ? `${why}, inside an IPv6 address` : undefined;
    }
  return V6.find((r) => matches(bytes, r.prefix, r.bits))?.why;
}

/** True when a webhook may not be sent to this address (see blockedAddressReason). */
export function isBlockedAddress(text: string): boolean {
  return blockedAddressReason(text) !== undefined;
}

/** Names that always mean this machine or a private network, whatever DNS says. */
export function isLocalName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    name.endsWith('.local') ||
    name.endsWith('.internal') ||
    name.endsWith('.home.arpa')
  );
}
