/**
 * The scene for bench/submissions.ts: a body, a 20-question form published with the forms
 * module's `publishForm`, a service using it (the catalogue's `publishService`), a submit key
 * (the code behind `joinedup hub:key:create`) and answers that pass the form, varied.
 */
import type { Config } from '../../src/platform/config/config.js';
import type { Db } from '../../src/platform/db/database.js';
import { publishService } from '../../src/modules/catalogue/index.js';
import { publishForm, ukToday } from '../../src/modules/forms/index.js';
import { createOrganisation } from '../../src/modules/organisations/index.js';
import { hubDeliverySet, hubKeyCreate } from '../../src/modules/submissions/index.js';

export const BODY_SLUG = 'bench-council';
export const SERVICE_SLUG = 'apply-for-a-bench-support-grant';
export const FORM_KEY = 'bench-support-grant';

const both = (en: string, cy = `${en} (cy)`) => ({ en, cy });
const options = (...values: string[]) => values.map((value) => ({ value, label: both(value) }));

/**
 * Twenty questions over five pages, of most types a form has (text, email, phone, date, nino,
 * address, postcode, number, money, yesNo, radios, select, checkboxes, textarea), two of them
 * asked only under a condition, so validation does what it does for a real form.
 */
export const FORM = {
  key: FORM_KEY,
  title: both('Apply for a support grant'),
  pages: [
    {
      id: 'about-you',
      title: both('About you'),
      questions: [
        { type: 'text', name: 'fullName', label: both('Full name'), maxLength: 100 },
        { type: 'email', name: 'email', label: both('Email address') },
        { type: 'phone', name: 'phone', label: both('Phone number') },
        {
          type: 'date',
          name: 'dateOfBirth',
          label: both('Date of birth'),
          before: 'today',
          after: '1900-01-01',
        },
        { type: 'nino', name: 'nino', label: both('National Insurance number') },
      ],
    },
    {
      id: 'home',
      title: both('Your home'),
      questions: [
        { type: 'address', name: 'home', label: both('Your address'), lookup: false },
        {
          type: 'radios',
          name: 'tenure',
          label: both('Do you own or rent it?'),
          options: options('own', 'rent-council', 'rent-private', 'other'),
        },
        {
          type: 'text',
          name: 'tenureOther',
          label: both('How do you live there?'),
          when: { question: 'tenure', equals: 'other' },
          maxLength: 200,
        },
        {
          type: 'number',
          name: 'adults',
          label: both('How many adults live there?'),
          integer: true,
          min: 1,
          max: 20,
        },
        {
          type: 'number',
          name: 'children',
          label: both('How many children live there?'),
          integer: true,
          min: 0,
          max: 20,
        },
      ],
    },
    {
      id: 'money',
      title: both('Your money'),
      questions: [
        {
          type: 'money',
          name: 'monthlyIncome',
          label: both('Monthly income'),
          minPence: 0,
          maxPence: 10_000_000,
        },
        {
          type: 'checkboxes',
          name: 'benefits',
          label: both('Which benefits do you get?'),
          options: options('universal-credit', 'pension-credit', 'pip', 'child-benefit', 'none'),
        },
        { type: 'yesNo', name: 'hasSavings', label: both('Do you have savings?') },
        {
          type: 'money',
          name: 'savings',
          label: both('How much?'),
          when: { question: 'hasSavings', equals: 'yes' },
          maxPence: 100_000_000,
        },
      ],
    },
    {
      id: 'request',
      title: both('What you need'),
      questions: [
        {
          type: 'select',
          name: 'purpose',
          label: both('What is the grant for?'),
          options: options('heating', 'food', 'furniture', 'repairs', 'travel', 'other'),
        },
        {
          type: 'money',
          name: 'amount',
          label: both('How much do you need?'),
          minPence: 1_000,
          maxPence: 200_000,
        },
        {
          type: 'textarea',
          name: 'reason',
          label: both('Tell us why you need it'),
          maxLength: 2_000,
        },
        {
          type: 'date',
          name: 'neededBy',
          label: both('When do you need it by?'),
          after: 'today',
          before: { daysFromToday: 365 },
        },
      ],
    },
    {
      id: 'contact',
      title: both('Contacting you'),
      questions: [
        {
          type: 'checkboxes',
          name: 'contactBy',
          label: both('How can we contact you?'),
          options: options('email', 'phone', 'letter'),
          minSelected: 1,
        },
        { type: 'postcode', name: 'correspondencePostcode', label: both('Postcode for letters') },
        {
          type: 'text',
          name: 'reference',
          label: both('Your own reference (optional)'),
          required: false,
          pattern: '^[A-Z0-9-]{0,20}$',
        },
      ],
    },
  ],
  declaration: both('The information I have given is correct.'),
  confirmation: { body: both('We will decide within 10 working days.') },
} as const;

const NAMES = ['Sam Person', 'Alex Jones', 'Rhys Evans', 'Priya Shah', 'Jo Smith', 'Chris Wu'];
const PHONES = ['01453 766321', '07700 900982', '+44 29 2087 2087', '0117 496 0123'];
const NINO_PREFIXES = ['JG', 'AB', 'CE', 'HJ', 'PR', 'SK'];
const PLACES = [
  { line1: '1 High Street', town: 'Stroud', postcode: 'GL5 4UB' },
  { line1: '12 Promenade', town: 'Cheltenham', postcode: 'GL50 9SA' },
  { line1: '3 Queen Square', town: 'Bristol', postcode: 'BS1 6AG' },
  { line1: '7 Heol y Frenhines', town: 'Cardiff', postcode: 'cf101fl' },
];
const TENURES = ['own', 'rent-council', 'rent-private', 'other'];
const BENEFITS = [['universal-credit'], ['pension-credit', 'pip'], ['child-benefit'], ['none']];
const PURPOSES = ['heating', 'food', 'furniture', 'repairs', 'travel', 'other'];
const CONTACT = [['email'], ['phone', 'letter'], ['email', 'phone', 'letter'], ['letter']];

function isoDaysFrom(today: string, days: number): string {
  const date = new Date(`${today}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * The JSON body of the i-th submission: answers the form accepts, varied from one to the next
 * (conditional questions asked or skipped, money and dates in the forms people type them).
 */
export function submissionBody(i: number, today = ukToday()): string {
  const pick = <T>(list: readonly T[]) => list[i % list.length]!;
  const name = pick(NAMES);
  const place = PLACES[(i >> 2) % PLACES.length]!;
  const tenure = TENURES[(i >> 1) % TENURES.length]!;
  const savings = i % 3 === 0;
  const answers: Record<string, unknown> = {
    fullName: `${name} ${i}`,
    email: `${name.split(' ')[0]!.toLowerCase()}.${i}@example.com`,
    phone: pick(PHONES),
    dateOfBirth:
      i % 2 === 0
        ? `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`
        : { day: String(1 + (i % 28)), month: String(1 + (i % 12)), year: String(1940 + (i % 60)) },
    nino: `${pick(NINO_PREFIXES)}${String(100000 + ((i * 7919) % 900000))}${'ABCD'[i % 4]}`,
    home: { line1: place.line1, town: place.town, postcode: place.postcode },
    tenure,
    ...(tenure === 'other' ? { tenureOther: 'Living with family' } : {}),
    adults: String(1 + (i % 4)),
    children: i % 5,
    monthlyIncome: i % 2 === 0 ? `£${(800 + (i % 2000)).toLocaleString('en-GB')}.50` : 95_000 + i,
    benefits: pick(BENEFITS),
    hasSavings: savings ? 'yes' : 'no',
    ...(savings ? { savings: `${100 + (i % 900)}` } : {}),
    purpose: pick(PURPOSES),
    amount: `£${50 + (i % 1500)}`,
    reason: `Our boiler broke in week ${i % 52}. `.repeat(1 + (i % 6)).trim(),
    neededBy: isoDaysFrom(today, 7 + (i % 60)),
    contactBy: pick(CONTACT),
    correspondencePostcode: place.postcode,
    reference: i % 4 === 0 ? '' : `REF-${i % 10_000}`,
  };
  return JSON.stringify({
    answers,
    applicant: { name, email: `${name.split(' ')[0]!.toLowerCase()}@example.com` },
    channel: pick(['counter', 'phone', 'partner-portal']),
  });
}

const PLATFORM_ACTOR = { userId: null, organisationId: null, role: 'platform' } as const;

/** Sets the scene on a migrated database: the body, the form, the service and a submit key. */
export async function setScene(db: Db): Promise<{ submitKey: string }> {
  const organisation = await createOrganisation(db, {
    slug: BODY_SLUG,
    name: 'Bench Council',
    type: 'other',
  });
  if (!organisation.ok)
    throw new Error(`createOrganisation: ${JSON.stringify(organisation.errors)}`);
  const form = await db.transaction().execute((trx) => publishForm(trx, FORM, PLATFORM_ACTOR));
  if (!form.ok) throw new Error(`publishForm: ${JSON.stringify(form.problems)}`);
  const service = await publishService(db, {
    organisationId: organisation.organisation.id,
    slug: SERVICE_SLUG,
    title: 'Apply for a support grant',
    titleCy: 'Gwneud cais am grant cymorth',
    summary: 'Money towards heating, food, furniture or repairs.',
    summaryCy: 'Arian tuag at wresogi, bwyd, dodrefn neu atgyweiriadau.',
    body: 'Apply if you cannot pay for something you need.',
    bodyCy: 'Gwnewch gais os na allwch dalu am rywbeth sydd ei angen arnoch.',
    formKey: FORM_KEY,
  });
  if (!service.ok) throw new Error(`publishService: ${JSON.stringify(service.errors)}`);
  const key = await hubKeyCreate(db, ['--org', BODY_SLUG, '--scope', 'submit', '--name', 'Bench']);
  if (key.code !== 0) throw new Error(`hub:key:create: ${key.err.join('; ')}`);
  return { submitKey: key.out[0]! };
}

/** Sends the body's submissions to a webhook (`joinedup hub:delivery:set --mode push`); returns its secret. */
export async function pushTo(db: Db, config: Config, url: string): Promise<string> {
  const set = await hubDeliverySet(db, config, [
    '--org',
    BODY_SLUG,
    '--mode',
    'push',
    '--url',
    url,
    '--alert-email',
    'alerts@example.invalid',
  ]);
  if (set.code !== 0 || !set.out[0]) throw new Error(`hub:delivery:set: ${set.err.join('; ')}`);
  return set.out[0];
}
