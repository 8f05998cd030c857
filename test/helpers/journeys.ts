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
