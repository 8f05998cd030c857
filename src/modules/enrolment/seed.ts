import type { Db } from '../../platform/db/database.js';
import type { EnrolableService } from './db/tables.js';
import { seededRandom as prng } from '../../platform/demo/random.js';

/** One record as a body's register holds it. */
export interface DemoRecord {
  service: EnrolableService;
  reference: string;
  holderName: string;
  addressLines: string[];
  postcode: string;
}

/**
 * The demo citizen's council tax account at Stroud: the name and address match what the
 * benefits register holds for citizen@example.com, so the README's tour enrols with these.
 */
export const DEMO_COUNCIL_TAX: DemoRecord = {
  service: 'council-tax',
  reference: '40318275',
  holderName: 'Sam Citizen',
  addressLines: ['1 High Street', 'Stroud'],
  postcode: 'GL5 4UB',
};

/** A business rates account at Stroud for the demo. */
export const DEMO_BUSINESS_RATES: DemoRecord = {
  service: 'business-rates',
  reference: 'BR4002718',
  holderName: 'Five Valleys Bakery Ltd',
  addressLines: ['12 Kendrick Street', 'Stroud'],
  postcode: 'GL5 1AA',
};

/** The same bakery's trade waste collection account at Stroud, which only a business may enrol. */
export const DEMO_TRADE_WASTE: DemoRecord = {
  service: 'trade-waste',
  reference: 'TW104522',
  holderName: 'Five Valleys Bakery Ltd',
  addressLines: ['12 Kendrick Street', 'Stroud'],
  postcode: 'GL5 1AA',
};

const GIVEN = [
  'Olivia',
  'Amelia',
  'Isla',
  'Ava',
  'Oliver',
  'George',
  'Noah',
  'Arthur',
  'Rhys',
  'Megan',
  'Priya',
  'Tomasz',
];
const FAMILY = [
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Williams',
  'Davies',
  'Evans',
  'Patel',
  'Hughes',
  'Price',
  'Nowak',
  'Clarke',
];
const PLACES: { streets: string[]; town: string; outward: string }[] = [
  {
    streets: ['Gloucester Street', 'Lansdown', 'Slad Road', 'Bisley Road', 'Middle Street'],
    town: 'Stroud',
    outward: 'GL5',
  },
  { streets: ['Fountain Street', 'Bath Road', 'Spring Hill'], town: 'Nailsworth', outward: 'GL6' },
  {
    streets: ['High Street', 'Regent Street', 'Bristol Road'],
    town: 'Stonehouse',
    outward: 'GL10',
  },
  {
    streets: ['Long Street', 'Parsonage Street', 'Silver Street'],
    town: 'Dursley',
    outward: 'GL11',
  },
];
const BUSINESSES = [
  'Cafe',
  'Hardware',
  'Books',
  'Florist',
  'Garage',
  'Studio',
  'Deli',
  'Bike Shop',
  'Pharmacy',
];
const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

/**
 * Stroud District Council's demo registers: 30 council tax accounts (8-digit numbers), 10
 * business rates accounts and 10 trade waste accounts, the same on every run, including the
 * demo records above. (Trade waste comes last, so the earlier records are as they always were.)
 */
export function demoRecords(): DemoRecord[] {
  const random = prng(20_260_301);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const used = new Set([
    DEMO_COUNCIL_TAX.reference,
    DEMO_BUSINESS_RATES.reference,
    DEMO_TRADE_WASTE.reference,
  ]);
  const unique = (make: () => string) => {
    let value = make();
    while (used.has(value)) value = make();
    used.add(value);
    return value;
  };
  const address = () => {
    const place = pick(PLACES);
    const inward = `${1 + Math.floor(random() * 9)}${pick([...INWARD_LETTERS])}${pick([...INWARD_LETTERS])}`;
    return {
      addressLines: [`${1 + Math.floor(random() * 120)} ${pick(place.streets)}`, place.town],
      postcode: `${place.outward} ${inward}`,
    };
  };
  const records: DemoRecord[] = [DEMO_COUNCIL_TAX, DEMO_BUSINESS_RATES];
  for (let i = 0; i < 29; i++)
    records.push({
      service: 'council-tax',
      reference: unique(() => String(40_000_000 + Math.floor(random() * 9_999_999))),
      holderName: `${pick(GIVEN)} ${pick(FAMILY)}`,
      ...address(),
    });
  for (let i = 0; i < 9; i++)
    records.push({
      service: 'business-rates',
      reference: unique(() => `BR${String(Math.floor(random() * 9_999_999)).padStart(7, '0')}`),
      holderName: `${pick(FAMILY)} ${pick(BUSINESSES)} Ltd`,
      ...address(),
    });
  records.push(DEMO_TRADE_WASTE);
  for (let i = 0; i < 9; i++)
    records.push({
      service: 'trade-waste',
      reference: unique(() => `TW${String(Math.floor(random() * 999_999)).padStart(6, '0')}`),
      holderName: `${pick(FAMILY)} ${pick(BUSINESSES)} Ltd`,
      ...address(),
    });
  return records;
}

/** Loads the demo registers, held by the given body (Stroud District Council in the demo). */
export async function seedEnrolmentRecords(db: Db, heldBy: string): Promise<void> {
  await db
    .insertInto('enrolment_records')
    .values(
      demoRecords().map((r) => ({
        held_by: heldBy,
        service: r.service,
        reference: r.reference,
        postcode: r.postcode,
        holder_name: r.holderName,
        address_lines: JSON.stringify(r.addressLines),
      })),
    )
    .execute();
}
