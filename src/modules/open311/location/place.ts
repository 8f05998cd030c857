/**
 * Where a reported problem is, from whatever the reporter gave: an address from the address
 * layer (its UPRN, Open311's address_id), a postcode, an address in words (address_string, with
 * its postcode), a street picked on the journey, or a latitude and longitude (filed under the
 * nearest live postcode). Every place ends up with a postcode — which finds the responsible body
 * — coordinates, and two descriptions: the place in full for the body, and to street level only
 * (never a house number or name) for the public lists.
 */
import type { Db } from '../../../platform/db/database.js';
import {
  addressesAtPostcode,
  findAddressByUprn,
  findPostcodeArea,
  formatAddress,
  nearestPostcode,
  parsePostcode,
  type AddressRow,
  type PostcodeAreaRow,
} from '../../address/index.js';
import { lookupGssCode } from '../../organisations/index.js';
import type { PlaceAddress } from '../attributes/mapping.js';

/** What the reporter said about where the problem is; any combination. */
export interface PlaceInput {
  latitude?: number | undefined;
  longitude?: number | undefined;
  postcode?: string | undefined;
  /** A UPRN from the address layer (Open311's address_id, or an address picked on the journey). */
  uprn?: string | undefined;
  /** An address in words (Open311's address_string). */
  addressText?: string | undefined;
  /** A street picked on the journey: somewhere along it. */
  street?: { street: string; locality: string | null; town: string } | undefined;
}

export interface Place {
  postcode: string;
  latitude: number;
  longitude: number;
  /** The district or unitary the postcode is in (the public list's area). */
  districtGss: string | null;
  /** For a form's address question; null when the reporter gave no address. */
  address: PlaceAddress | null;
  /** Street level only, with the postcode: what the public lists show. */
  publicAddress: string;
  /** In full, with the coordinates: what the body is told. */
  words: string;
}

export type PlaceProblem =
  /** Nothing that says where. */
  | 'missing'
  /** A postcode (typed, or in the address) that is not a live postcode for a place. */
  | 'postcode-unknown'
  /** An address id the address layer does not have. */
  | 'address-unknown'
  /** Coordinates with no live postcode within 2 km: at sea, abroad, or not a place we know. */
  | 'outside';

export type PlaceResult = { ok: true; place: Place } | { ok: false; problem: PlaceProblem };

/** A UK postcode anywhere in a text: the last one wins (an address ends with its postcode). */
const POSTCODE_IN_TEXT = /\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b/gi;

/** The postcode in an address written out, in standard form, if it has one. */
export function postcodeInText(text: string): string | undefined {
  const matches = [...text.slice(0, 500).matchAll(POSTCODE_IN_TEXT)];
  for (const match of matches.reverse()) {
    const parsed = parsePostcode(`${match[1]} ${match[2]}`);
    if (parsed.ok) return parsed.postcode;
  }
  return undefined;
}

/**
 * An address written on one line ("Flat 1, Ebley Mill, Westward Road, Stroud, GL5 4UB") as the
 * form's address question takes it: the first part is line 1, the last (before the postcode)
 * the town, anything between line 2. With one part only, `town` is used.
 */
export function addressFromText(text: string, postcode: string, town: string): PlaceAddress | null {
  const withoutPostcode = text.slice(0, 500).replace(POSTCODE_IN_TEXT, ' ');
  const parts = withoutPostcode
    .split(/[,\n]/)
    .map((part) => part.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  if (parts.length === 0) return null;
  if (parts.length === 1) return { line1: parts[0]!, town, postcode };
  const line2 = parts.slice(1, -1).join(', ');
  return { line1: parts[0]!, ...(line2 ? { line2 } : {}), town: parts.at(-1)!, postcode };
}

function coordinates(latitude: number, longitude: number): string {
  return `${latitude.toFixed(5)}, ${longitude.toFixed(5)}`;
}

function streetLevel(parts: (string | null | undefined)[], postcode: string): string {
  return [...parts, postcode].filter((p): p is string => Boolean(p && p.trim())).join(', ');
}

/** A town for the postcode when the reporter's words give none: its addresses', or its council area's name. */
function townOf(area: PostcodeAreaRow, addresses: AddressRow[]): string {
  const town = addresses.find((a) => a.town)?.town;
  if (town) return town;
  return (area.district_gss && lookupGssCode(area.district_gss)?.name) || '';
}

/** An address from the register as the answer's lines, as the forms journey writes them. */
function addressOfRow(row: AddressRow): PlaceAddress {
  const numbered = /^\d/.test(row.paon) && row.street;
  const line1 = [row.saon, numbered ? `${row.paon} ${row.street}` : row.paon]
    .filter(Boolean)
    .join(', ');
  const line2 = [numbered ? null : row.street, row.locality].filter(Boolean).join(', ');
  return {
    uprn: row.uprn,
    line1,
    ...(line2 ? { line2 } : {}),
    town: row.town,
    postcode: row.postcode,
  };
}

async function liveArea(db: Db, postcode: string): Promise<PostcodeAreaRow | undefined> {
  const area = await findPostcodeArea(db, postcode);
  if (!area || area.terminated || !area.geographic) return undefined;
  if (area.latitude === null || area.longitude === null) return undefined;
  return area;
}

/**
 * Finds the place a report is about. The address id wins over a typed postcode, which wins over
 * the postcode in an address's words, which wins over the postcode nearest the coordinates;
 * coordinates, when given, are the point itself, otherwise the postcode's centre is.
 */
export async function findPlace(db: Db, input: PlaceInput): Promise<PlaceResult> {
  const hasPoint = input.latitude !== undefined && input.longitude !== undefined;
  let picked: AddressRow | undefined;
  if (input.uprn) {
    picked = await findAddressByUprn(db, input.uprn);
    if (!picked) return { ok: false, problem: 'address-unknown' };
  }
  let postcode = picked?.postcode;
  if (!postcode && input.postcode) {
    const parsed = parsePostcode(input.postcode);
    if (!parsed.ok) return { ok: false, problem: 'postcode-unknown' };
    postcode = parsed.postcode;
  }
  if (!postcode && input.addressText) postcode = postcodeInText(input.addressText);
  if (!postcode && hasPoint) {
    const near = await nearestPostcode(db, input.latitude!, input.longitude!);
    if (!near) return { ok: false, problem: 'outside' };
    postcode = near.postcode;
  }
  if (!postcode) return { ok: false, problem: input.addressText ? 'postcode-unknown' : 'missing' };
  const area = await liveArea(db, postcode);
  if (!area) return { ok: false, problem: 'postcode-unknown' };
  const latitude = hasPoint ? input.latitude! : area.latitude!;
  const longitude = hasPoint ? input.longitude! : area.longitude!;
  const point = coordinates(latitude, longitude);
  const base = { postcode, latitude, longitude, districtGss: area.district_gss };

  if (picked) {
    const address = addressOfRow(picked);
    return {
      ok: true,
      place: {
        ...base,
        address,
        publicAddress: streetLevel([picked.street, picked.locality, picked.town], postcode),
        words: `${formatAddress(picked)} (${point})`,
      },
    };
  }
  if (input.street) {
    const { street, locality, town } = input.street;
    const along = streetLevel([street, locality, town], postcode);
    return {
      ok: true,
      place: {
        ...base,
        address: null,
        publicAddress: along,
        words: `${along} (${point})`,
      },
    };
  }
  const addresses = await addressesAtPostcode(db, postcode);
  const town = townOf(area, addresses);
  const text = input.addressText?.replace(/\s+/g, ' ').trim().slice(0, 500) ?? '';
  return {
    ok: true,
    place: {
      ...base,
      address: text ? addressFromText(text, postcode, town) : null,
      publicAddress: streetLevel([town], postcode),
      words: `${text && !text.toUpperCase().includes(postcode) ? `${text}, ${postcode}` : text || postcode} (${point})`,
    },
  };
}

/** Streets of the addresses at a postcode, and the addresses themselves, for the journey's picker. */
export async function placesAtPostcode(
  db: Db,
  postcode: string,
): Promise<{
  streets: { key: string; street: string; locality: string | null; town: string }[];
  addresses: { uprn: string; text: string }[];
}> {
  const rows = await addressesAtPostcode(db, postcode);
  const streets = new Map<
    string,
    { key: string; street: string; locality: string | null; town: string }
  >();
  for (const row of rows) {
    if (!row.street) continue;
    const key = [row.street, row.locality ?? '', row.town].join('|');
    if (!streets.has(key))
      streets.set(key, { key, street: row.street, locality: row.locality, town: row.town });
  }
  return {
    streets: [...streets.values()],
    addresses: rows.map((row) => ({ uprn: row.uprn, text: formatAddress(row) })),
  };
}
