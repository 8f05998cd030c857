import { isValidNinoPrefix } from '../nino.js';
import { seededRandom as prng } from '../../../platform/demo/random.js';

/** A person's facts as a register holds them, before they are stored. */
export interface RegisterPerson {
  nino: string;
  givenName: string;
  familyName: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  postcode: string;
  addressLine1: string;
  addressLine2: string | null;
  town: string;
}

/**
 * The demo citizen (citizen@example.com) as DWP's register holds them: these are the facts a
 * demo user types to verify their identity online (the README prints them).
 */
export const DEMO_CITIZEN_FACTS: RegisterPerson = {
  nino: 'JG103759A',
  givenName: 'Sam',
  familyName: 'Citizen',
  dateOfBirth: '1985-07-14',
  postcode: 'GL5 4UB',
  addressLine1: '1 High Street',
  addressLine2: null,
  town: 'Stroud',
};

/** How many people the demo benefits register holds. */
export const DEMO_REGISTER_SIZE = 1000;

const GIVEN_NAMES = [
  'Oliver',
  'George',
  'Harry',
  'Jack',
  'Jacob',
  'Noah',
  'Charlie',
  'Thomas',
  'William',
  'James',
  'David',
  'John',
  'Michael',
  'Peter',
  'Robert',
  'Stephen',
  'Paul',
  'Mark',
  'Andrew',
  'Richard',
  'Amelia',
  'Olivia',
  'Isla',
  'Emily',
  'Poppy',
  'Ava',
  'Jessica',
  'Lily',
  'Sophie',
  'Grace',
  'Margaret',
  'Susan',
  'Patricia',
  'Elizabeth',
  'Sarah',
  'Karen',
  'Helen',
  'Joanne',
  'Claire',
  'Rachel',
  'Dafydd',
  'Rhys',
  'Gareth',
  'Owain',
  'Iwan',
  'Siân',
  'Elin',
  'Catrin',
  'Ffion',
  'Nia',
  'Aled',
  'Angharad',
  'Bethan',
  'Rhiannon',
  'Gwenllïan',
  'Mohammed',
  'Aisha',
  'Priya',
  'Arjun',
  'Fatima',
  'Zoë',
  'Chloë',
  'Renée',
  'Seán',
  'Aoife',
  'Niamh',
  'Ciarán',
  'Declan',
  'Eilidh',
  'Hamish',
];

const FAMILY_NAMES = [
  'Smith',
  'Jones',
  'Williams',
  'Taylor',
  'Brown',
  'Davies',
  'Evans',
  'Wilson',
  'Thomas',
  'Johnson',
  'Roberts',
  'Robinson',
  'Thompson',
  'Wright',
  'Walker',
  'White',
  'Edwards',
  'Hughes',
  'Green',
  'Hall',
  'Lewis',
  'Harris',
  'Clarke',
  'Patel',
  'Jackson',
  'Wood',
  'Turner',
  'Martin',
  'Cooper',
  'Hill',
  'Ward',
  'Morris',
  'Moore',
  'Clark',
  'Lee',
  'King',
  'Baker',
  'Harrison',
  'Morgan',
  'Allen',
  'Price',
  'Powell',
  'Pritchard',
  'Llewellyn',
  'Rees',
  'Jenkins',
  'Griffiths',
  'Prydderch',
  'ap Rhys',
  'Bevan',
  "O'Brien",
  'McDonald',
  'Khan',
  'Ahmed',
  'Begum',
  'Singh',
  'Kaur',
  'Nowak',
  'Fitzgerald',
  'Bailey',
];

/** Real outward codes, with towns and streets found there. */
const AREAS: { outward: string[]; town: string; streets: string[] }[] = [
  {
    outward: ['GL5', 'GL6'],
    town: 'Stroud',
    streets: [
      'London Road',
      'Slad Road',
      'Bath Road',
      'Gloucester Street',
      'Cainscross Road',
      'Lansdown',
    ],
  },
  {
    outward: ['GL1', 'GL2', 'GL3', 'GL4'],
    town: 'Gloucester',
    streets: [
      'Bristol Road',
      'Barnwood Road',
      'Tuffley Lane',
      'Westgate Street',
      'Stroud Road',
      'Painswick Road',
    ],
  },
  {
    outward: ['GL50', 'GL51', 'GL52', 'GL53'],
    town: 'Cheltenham',
    streets: [
      'Hewlett Road',
      'Tewkesbury Road',
      'Leckhampton Road',
      'Prestbury Road',
      'Gloucester Road',
      'Suffolk Road',
    ],
  },
  {
    outward: ['GL7'],
    town: 'Cirencester',
    streets: ['Victoria Road', 'Cricklade Street', 'Watermoor Road', 'Lewis Lane'],
  },
  {
    outward: ['GL10'],
    town: 'Stonehouse',
    streets: ['High Street', 'Regent Street', 'Bristol Road'],
  },
  { outward: ['GL11'], town: 'Dursley', streets: ['Long Street', 'Kingshill Road', 'Woodmancote'] },
  {
    outward: ['GL20'],
    town: 'Tewkesbury',
    streets: ['Barton Street', 'Church Street', 'Ashchurch Road'],
  },
  {
    outward: ['BS1', 'BS2', 'BS3', 'BS5', 'BS6', 'BS7', 'BS8'],
    town: 'Bristol',
    streets: [
      'Gloucester Road',
      'Cheltenham Road',
      'North Street',
      'Stapleton Road',
      'Whiteladies Road',
      'Wells Road',
      'St Michael’s Hill',
      'Coronation Road',
    ],
  },
  {
    outward: ['BS4', 'BS13', 'BS14', 'BS16'],
    town: 'Bristol',
    streets: ['Bath Road', 'Hartcliffe Way', 'Fishponds Road', 'Station Road', 'Church Road'],
  },
  {
    outward: ['CF5', 'CF10', 'CF11'],
    town: 'Cardiff',
    streets: [
      'Cowbridge Road East',
      'Cathedral Road',
      'Clare Road',
      'Heol y Felin',
      'Penarth Road',
    ],
  },
  {
    outward: ['CF14', 'CF23', 'CF24', 'CF3'],
    town: 'Cardiff',
    streets: [
      'Whitchurch Road',
      'Albany Road',
      'City Road',
      'Heol Hir',
      'Newport Road',
      'Heol Llanisien',
    ],
  },
];

/** Letters a postcode's inward code may end with (never C, I, K, M, O, V). */
const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
const PREFIX_LETTERS = 'ABCEGHJKLMNOPRSTWXYZ';

/**
 * The demo benefits register: 1,000 people with plausible British names, dates of birth from
 * 1935 to 2006, addresses in Gloucestershire, Bristol and Cardiff and valid, distinct National
 * Insurance numbers. A fixed seed makes it the same 1,000 every time; the demo citizen is first.
 *
 * @example demoRegisterPeople().length // 1000
 */
export function demoRegisterPeople(size = DEMO_REGISTER_SIZE, seed = 20_060_101): RegisterPerson[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const digits = (n: number) =>
    Array.from({ length: n }, () => String(Math.floor(random() * 10))).join('');

  const people: RegisterPerson[] = [DEMO_CITIZEN_FACTS];
  const ninos = new Set([DEMO_CITIZEN_FACTS.nino]);
  const from = Date.UTC(1935, 0, 1);
  const to = Date.UTC(2006, 11, 31);
  while (people.length < size) {
    let prefix = '';
    while (!isValidNinoPrefix(prefix))
      prefix = pick([...PREFIX_LETTERS]) + pick([...PREFIX_LETTERS]);
    const nino = `${prefix}${digits(6)}${pick(['A', 'B', 'C', 'D'])}`;
    if (ninos.has(nino)) continue;
    ninos.add(nino);
    const area = pick(AREAS);
    const born = new Date(
      from + Math.floor(random() * ((to - from) / 86_400_000 + 1)) * 86_400_000,
    );
    const flat = random() < 0.15;
    people.push({
      nino,
      givenName: pick(GIVEN_NAMES),
      familyName: pick(FAMILY_NAMES),
      dateOfBirth: born.toISOString().slice(0, 10),
      postcode: `${pick(area.outward)} ${digits(1)}${pick([...INWARD_LETTERS])}${pick([...INWARD_LETTERS])}`,
      addressLine1: flat
        ? `Flat ${1 + Math.floor(random() * 12)}`
        : `${1 + Math.floor(random() * 180)} ${pick(area.streets)}`,
      addressLine2: flat ? `${1 + Math.floor(random() * 180)} ${pick(area.streets)}` : null,
      town: area.town,
    });
  }
  return people;
}
