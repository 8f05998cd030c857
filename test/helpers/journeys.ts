import { expect } from 'vitest';
import { hiddenValue, weekdayAhead, type Visitor } from './app.js';

/** The demo bulky waste service (Stroud's and Cheltenham's; the address decides which). */
export const BULKY_WASTE = '/services/request-a-bulky-waste-collection';

export interface BulkyWasteAnswers {
  items?: string[];
  itemDetails?: string;
  /** Of an address on High Street in Stroud; the default is Stroud's GL5 4UB. */
  postcode?: string;
}

/**
 * Answers every page of the demo bulky waste form as a signed-in person would, failing the test
 * if a page refuses an answer, and returns "Check your answers".
 *
 * @example const check = await answerBulkyWaste(citizen, { itemDetails: 'a piano' });
 */
export async function answerBulkyWaste(
  visitor: Visitor,
  { items = ['sofa', 'fridge'], itemDetails = '', postcode = 'GL5 4UB' }: BulkyWasteAnswers = {},
) {
  await visitor.get(`${BULKY_WASTE}/apply/items`);
  expect((await visitor.post(`${BULKY_WASTE}/apply/items`, { items, itemDetails })).status).toBe(
    303,
  );
  await visitor.get(`${BULKY_WASTE}/apply/address`);
  const addressed = await visitor.post(`${BULKY_WASTE}/apply/address`, {
    addressLine1: '1 High Street',
    addressLine2: '',
    town: 'Stroud',
    postcode,
  });
  expect(addressed.status).toBe(303);
  const [d, m, y] = weekdayAhead(7);
  await visitor.get(`${BULKY_WASTE}/apply/date`);
  const dated = await visitor.post(`${BULKY_WASTE}/apply/date`, {
    'preferredDate-day': d,
    'preferredDate-month': m,
    'preferredDate-year': y,
  });
  expect(dated.headers.get('location')).toBe(`${BULKY_WASTE}/apply/check-answers`);
  const check = await visitor.get(`${BULKY_WASTE}/apply/check-answers`);
  expect(check.status).toBe(200);
  return check;
}

/**
 * Answers the demo bulky waste form (see `answerBulkyWaste`) and sends it; returns the
 * application's reference, e.g. 'JU-7K3M-Q2XD'.
 */
export async function applyForBulkyWaste(
  visitor: Visitor,
  answers: BulkyWasteAnswers = {},
): Promise<string> {
  const check = await answerBulkyWaste(visitor, answers);
  const sent = await visitor.post(`${BULKY_WASTE}/apply/submit`, {
    draftId: hiddenValue(check.html, 'draftId'),
  });
  expect(sent.status).toBe(303);
  const reference = /\/applications\/(JU-[A-Z0-9]{4}-[A-Z0-9]{4})\/confirmation/.exec(
    sent.headers.get('location') ?? '',
  )?.[1];
  expect(reference, `a confirmation page, not ${sent.headers.get('location')}`).toBeDefined();
  return reference!;
}

/**
 * A caseworker, on the application's casework page already (for its CSRF token and the case's
 * version), takes the bulky waste workflow's "approve" action with a collection date a weekday
 * at least 8 days ahead. Returns the response: 303 when the case was approved.
 */
export async function approveBulkyWaste(caseworker: Visitor, reference: string) {
  const [d, m, y] = weekdayAhead(8);
  return caseworker.post(`/casework/${reference}/actions/approve`, {
    version: hiddenValue(caseworker.lastHtml, 'version'),
    'collectionDate-day': d,
    'collectionDate-month': m,
    'collectionDate-year': y,
  });
}

/** Stroud's resident parking permit (a £60 fee for a first permit, less for a second). */
export const RESIDENT_PERMIT = 'resident-parking-permit-stroud';

export interface ParkingPermitAnswers {
  permit?: 'first' | 'second';
  /** Another service with the same form (the fee rules demo's); Stroud's permit by default. */
  service?: string;
  /** The person an adviser or agent fills it in for (sent with every page, as the pages do). */
  actingFor?: string;
}

/**
 * Answers a parking permit form (vehicle AB12 CDE at 1 High Street, Stroud) up to its
 * declaration, failing the test if a page refuses an answer; returns "Check your answers" and
 * the declaration page.
 */
export async function answerParkingPermit(
  visitor: Visitor,
  { permit = 'first', service = RESIDENT_PERMIT, actingFor }: ParkingPermitAnswers = {},
) {
  const apply = `/services/${service}/apply`;
  const pages: [string, Record<string, string>][] = [
    ['permit', { permit }],
    ['registration', { registration: 'AB12 CDE' }],
    [
      'address',
      {
        'address-line1': '1 High Street',
        'address-line2': '',
        'address-town': 'Stroud',
        'address-postcode': 'GL5 4UB',
      },
    ],
  ];
  for (const [page, fields] of pages) {
    await visitor.get(`${apply}/${page}`);
    const answered = await visitor.post(`${apply}/${page}`, {
      ...(actingFor ? { actingFor } : {}),
      ...fields,
    });
    expect(answered.status, page).toBe(303);
  }
  const check = await visitor.get(`${apply}/check-answers`);
  expect(check.status).toBe(200);
  const declaration = await visitor.get(`${apply}/declaration`);
  return { check, declaration };
}

/** Answers a parking permit form (see `answerParkingPermit`) and sends it: the answer is a 303. */
export async function sendParkingPermit(visitor: Visitor, answers: ParkingPermitAnswers = {}) {
  const { check, declaration } = await answerParkingPermit(visitor, answers);
  const sent = await visitor.post(`/services/${answers.service ?? RESIDENT_PERMIT}/apply/submit`, {
    draftId: hiddenValue(declaration.html, 'draftId'),
    actingFor: answers.actingFor ?? '',
    agree: 'yes',
  });
  expect(sent.status).toBe(303);
  return { check, declaration, sent };
}
