import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressBytes, blockedAddressReason, isBlockedAddress, isLocalName } from './addresses.js';

/** The ranges a webhook may never reach (the list and the other special-use ones). */
const BLOCKED_V4: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

const BLOCKED_V6: [string, number][] = [
  ['::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
];

/** First octets whose every address is public: nothing special-use starts with them. */
const PUBLIC_FIRST_OCTETS = [
  ...range(1, 9),
  ...range(11, 99),
  ...range(101, 126),
  ...range(128, 168),
  170,
  171,
  ...range(173, 191),
  ...range(193, 197),
  ...range(199, 202),
  ...range(204, 223),
];

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function v4Text(n: number): string {
  return [24, 16, 8, 0].map((shift) => (n >>> shift) & 0xff).join('.');
}

function v4Number(text: string): number {
  return text.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

/** Any address in the range: the range's bits, then random host bits. */
function inV4Range([base, bits]: [string, number], random: number): string {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return v4Text(((v4Number(base) & mask) | (random & ~mask)) >>> 0);
}

function bytesOfV6(text: string): Uint8Array {
  return addressBytes(text)!;
}

/** IPv6 in full: eight groups of four hex digits. */
function fullV6(bytes: Uint8Array): string {
  return Array.from({ length: 8 }, (_, i) =>
    ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16).padStart(4, '0'),
  ).join(':');
}

/** IPv6 as Node's URL parser writes it (RFC 5952: compressed, lower case). */
function compressedV6(bytes: Uint8Array): string {
  return new URL(`http://[${fullV6(bytes)}]/`).hostname.slice(1, -1);
}

function inV6Range([base, bits]: [string, number], random: Uint8Array): string {
  const prefix = bytesOfV6(base);
  const bytes = Uint8Array.from(random);
  for (let bit = 0; bit < bits; bit++) {
    const index = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    bytes[index] = (bytes[index]! & ~mask) | (prefix[index]! & mask);
  }
  return compressedV6(bytes);
}

const sixteenBytes = fc.uint8Array({ minLength: 16, maxLength: 16 });

describe('which addresses a webhook may not reach', () => {
  it('refuses every IPv4 address in a private, local or special-use range', () => {
    fc.assert(
      fc.property(fc.constantFrom(...BLOCKED_V4), fc.nat(), (blocked, random) => {
        expect(isBlockedAddress(inV4Range(blocked, random))).toBe(true);
      }),
    );
  });

  it('allows every IPv4 address of the public ranges', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PUBLIC_FIRST_OCTETS), fc.nat(0xffffff), (first, rest) => {
        const address = v4Text(((first << 24) | rest) >>> 0);
        expect(blockedAddressReason(address)).toBeUndefined();
      }),
    );
  });

  it('refuses every IPv6 address in a loopback, unique local, link-local, site-local, documentation or multicast range', () => {
    fc.assert(
      fc.property(fc.constantFrom(...BLOCKED_V6), sixteenBytes, (blocked, random) => {
        const address = inV6Range(blocked, random);
        // ::ffff:0:0/96 inside ::/96 is judged by the IPv4 address it carries (next test).
        if (address.startsWith('::ffff:')) return;
        expect(isBlockedAddress(address)).toBe(true);
      }),
    );
  });

  it('allows global unicast IPv6 addresses outside the documentation and 6to4 ranges', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0x2400, max: 0x2fff }), sixteenBytes, (first, random) => {
        const bytes = Uint8Array.from(random);
        bytes[0] = first >> 8;
        bytes[1] = first & 0xff;
        expect(blockedAddressReason(compressedV6(bytes))).toBeUndefined();
      }),
    );
  });

  it('judges an IPv4 address carried in IPv6 (mapped, NAT64, 6to4) as the IPv4 address itself', () => {
    fc.assert(
      fc.property(fc.ipV4(), (v4) => {
        const n = v4Number(v4);
        const hex = [(n >>> 16).toString(16), (n & 0xffff).toString(16)];
        const expected = isBlockedAddress(v4);
        expect(isBlockedAddress(`::ffff:${v4}`)).toBe(expected);
        expect(isBlockedAddress(`::ffff:${hex.join(':')}`)).toBe(expected);
        expect(isBlockedAddress(`64:ff9b::${v4}`)).toBe(expected);
        expect(isBlockedAddress(`2002:${hex.join(':')}::1`)).toBe(expected);
      }),
    );
  });

  it('reads every way of writing an IPv6 address as the same bytes, and judges them alike', () => {
    fc.assert(
      fc.property(sixteenBytes, (bytes) => {
        const forms = [
          fullV6(bytes),
          compressedV6(bytes),
          fullV6(bytes).toUpperCase(),
          `[${compressedV6(bytes)}]`,
          `${fullV6(bytes)}%eth0`,
        ];
        const verdict = isBlockedAddress(forms[0]!);
        for (const form of forms) {
          expect(Array.from(addressBytes(form)!), form).toEqual(Array.from(bytes));
          expect(isBlockedAddress(form), form).toBe(verdict);
        }
      }),
    );
  });

  it('never throws, and refuses anything that is not an IP address', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const reason = blockedAddressReason(text);
        if (addressBytes(text) === undefined) expect(reason).toBe('not an IP address');
      }),
    );
  });

  it('names the usual targets of SSRF, and lets public resolvers through', () => {
    expect(blockedAddressReason('169.254.169.254')).toBe('link-local (169.254.0.0/16)');
    expect(blockedAddressReason('127.0.0.1')).toBe('loopback (127.0.0.0/8)');
    expect(blockedAddressReason('0.0.0.0')).toBe('"this network" (0.0.0.0/8)');
    expect(blockedAddressReason('10.1.2.3')).toBe('private (10.0.0.0/8)');
    expect(blockedAddressReason('172.31.255.255')).toBe('private (172.16.0.0/12)');
    expect(blockedAddressReason('172.32.0.1')).toBeUndefined();
    expect(blockedAddressReason('192.168.1.1')).toBe('private (192.168.0.0/16)');
    expect(blockedAddressReason('255.255.255.255')).toMatch(/reserved/);
    expect(blockedAddressReason('::1')).toMatch(/loopback/);
    expect(blockedAddressReason('::')).toMatch(/unspecified/);
    expect(blockedAddressReason('fd00:ec2::254')).toBe('unique local (fc00::/7)');
    expect(blockedAddressReason('fe80::1%eth0')).toBe('link-local (fe80::/10)');
    expect(blockedAddressReason('::ffff:127.0.0.1')).toBe(
      'loopback (127.0.0.0/8), inside an IPv6 address',
    );
    expect(blockedAddressReason('8.8.8.8')).toBeUndefined();
    expect(blockedAddressReason('2001:4860:4860::8888')).toBeUndefined();
    expect(blockedAddressReason('localhost')).toBe('not an IP address');
  });

  it('knows the names that always mean this machine or a private network', () => {
    for (const name of ['localhost', 'LOCALHOST.', 'api.localhost', 'printer.local', 'db.internal'])
      expect(isLocalName(name), name).toBe(true);
    for (const name of ['council.example.gov.uk', 'localhost.example.com', 'internal.example.org'])
      expect(isLocalName(name), name).toBe(false);
  });
});
