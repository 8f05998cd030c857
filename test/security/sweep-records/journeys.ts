import { answer, postFile } from '../../../src/modules/forms/test/pages.js';
import { consultationForm } from '../../../src/modules/engagement/test/consultations.js';
import { Visitor, type TestApp } from '../../helpers/app.js';
import { dateInputFields } from '../../helpers/dates.js';
import { answerBulkyWaste, BULKY_WASTE, sendParkingPermit } from '../../helpers/journeys.js';
import { mailsTo } from '../../helpers/outbox.js';
import { signedInStaff } from '../../helpers/staff.js';
import type { RecordMaker, SweepPage } from './index.js';
import { aCitizen, expectStatus, session, uniqueEmail } from './people.js';

/**
 * Journeys driven as a person would, with valid answers, up to the step whose form the sweep is
 * to send: a service's "check your answers", an "add another" item, an uploaded file, a reported
 * problem at each of its steps, a consultation response and a card payment's confirmation. Each
 * runs in a browser of its own, whose cookie holds where its journey stands (the sweep's own
 * sessions keep no cookie a journey sets, so they never get past its first step).
 */
export const journeys: RecordMaker = async (app) => [
  ...(await serviceJourneys(app)),
  ...(await reportedProblems(app)),
  ...(await consultationResponse(app)),
  ...(await cardPayment(app)),
];

const HALL = '/services/book-a-community-hall-stroud/apply';
const BAND = '/services/disagree-with-council-tax-band-stroud/apply';
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);

/**
 * Service forms: the bulky waste form answered to "check your answers" (its button sends it);
 * a hall booking with one piece of equipment added (the item's page and its "remove" page);
 * a Council Tax band challenge with its evidence uploaded (the page lists the file; its button
 * that removes it is a `formaction` of the page's form, which the sweep does not send).
 */
async function serviceJourneys(app: TestApp): Promise<SweepPage[]> {
  const { visitor } = await aCitizen(app, 'applicant');
  await answerBulkyWaste(visitor);

  const step = async (path: string, fields: Record<string, string>) =>
    expectStatus(await answer(visitor, path, fields), 303, path);
  await step(`${HALL}/hall`, { hall: 'stratford-park' });
  await step(`${HALL}/date`, dateInputFields('bookingDate', 30));
  await step(`${HALL}/time`, { startTime: '1800', duration: '3' });
  await step(`${HALL}/purpose`, { purpose: 'The history society’s annual meeting.' });
  await step(`${HALL}/people`, { people: '45' });
  await step(`${HALL}/equipment`, { addAnother: 'yes' });
  await step(`${HALL}/equipment/item/1`, { item: 'projector', quantity: '1' });

  await step(`${BAND}/property`, {
    'property-mode': 'select',
    'property-lookup': 'GL5 4UB',
    'property-uprn': '900000000001',
  });
  await step(`${BAND}/band`, { currentBand: 'C' });
  await step(`${BAND}/reasons`, { reasons: 'Homes like mine on the street are in band B.' });
  const uploaded = await postFile(visitor, `${BAND}/evidence`, {
    name: 'valuation.pdf',
    type: 'application/pdf',
    content: PDF,
  });
  expectStatus(uploaded, 303, 'uploading evidence');

  const applicant = session('applicant part-way through forms', visitor);
  return [
    `${BULKY_WASTE}/apply/check-answers`,
    `${HALL}/equipment/item/1`,
    `${HALL}/equipment/item/1/remove`,
    `${BAND}/evidence`,
  ].map((path) => ({ path, who: applicant }));
}

/**
 * Reporting a problem signed out: a missed bin answered to "check" (each step's page is open to
 * go back to), and a pothole placed by coordinates (the page the "where" page links to).
 */
async function reportedProblems(app: TestApp): Promise<SweepPage[]> {
  const reporter = new Visitor(app.baseUrl);
  const step = async (path: string, fields: Record<string, string>) => {
    await reporter.get(path);
    expectStatus(await reporter.post(path, fields), 303, path);
  };
  await step('/report-a-problem', { code: 'report-a-missed-bin-collection' });
  await step('/report-a-problem/where', { postcode: 'GL5 4UB' });
  await step('/report-a-problem/place', { place: 'address:900000000003' });
  await step('/report-a-problem/details', {
    bin: 'general-waste',
    ...dateInputFields('collectionDate', 0),
    binLocation: 'other',
    binLocationOther: 'Behind the gate',
  });
  await step('/report-a-problem/contact', {
    name: 'Rae Porter',
    email: 'rae@example.com',
    phone: '',
  });

  const pothole = new Visitor(app.baseUrl);
  await pothole.get('/report-a-problem');
  expectStatus(
    await pothole.post('/report-a-problem', { code: 'report-a-pothole' }),
    303,
    'choosing a pothole',
  );
  const missedBin = session('reporting a missed bin', reporter);
  return [
    ...['where', 'place', 'details', 'contact', 'check'].map((page) => ({
      path: `/report-a-problem/${page}`,
      who: missedBin,
    })),
    { path: '/report-a-problem/coordinates', who: session('reporting a pothole', pothole) },
  ];
}

/**
 * A consultation Stroud's service owner publishes (the demo holds none), answered signed out to
 * "check your answers", saved for later: each question's page, the check and save pages, and the
 * page the e-mailed link to come back opens.
 */
async function consultationResponse(app: TestApp): Promise<SweepPage[]> {
  const owner = await signedInStaff(app, 'owner');
  await owner.get('/staff/consultations/new');
  const published = await owner.post(
    '/staff/consultations/new',
    consultationForm({ title: 'Town centre parking' }),
  );
  expectStatus(published, 303, 'publishing a consultation');
  const id = /\/staff\/consultations\/([0-9a-f-]{36})/.exec(published.headers.get('location')!)![1];
  const base = `/consultations/${id}/respond`;

  const respondent = new Visitor(app.baseUrl);
  await respondent.get(base);
  expectStatus(await respondent.post(base, { respondentType: 'individual' }), 303, 'about you');
  // The choice is posted as its option's value, as the page's radio gives it.
  const first = await respondent.get(`${base}/questions/1`);
  const choice = /name="q1"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="q1"/.exec(first.html);
  if (!choice) throw new Error('No choice on the consultation’s first question');
  expectStatus(
    await respondent.post(`${base}/questions/1`, { q1: choice[1] ?? choice[2]! }),
    303,
    'question 1',
  );
  await respondent.get(`${base}/questions/2`);
  expectStatus(
    await respondent.post(`${base}/questions/2`, { q2: 'It would pay for buses.' }),
    303,
    'question 2',
  );
  const email = uniqueEmail('respondent');
  await respondent.get(`${base}/save`);
  expectStatus(await respondent.post(`${base}/save`, { email }), 200, 'saving for later');
  const [mail] = await mailsTo(app.platform.database.db, email);
  const back = new RegExp(`${base}/return\\?token=[\\w-]+`).exec(mail?.text ?? '')?.[0];
  if (!back) throw new Error('No link to come back in the consultation e-mail');
  const responding = session('responding to a consultation', respondent);
  return [
    ...['questions/1', 'questions/2', 'check', 'save'].map((page) => ({
      path: `${base}/${page}`,
      who: responding,
    })),
    { path: back, who: 'anonymous' as const },
  ];
}

/**
 * Stroud's resident parking permit sent, and its £60 paid on the hosted card pages up to the
 * confirmation page, whose button takes the payment (the cookie the payment's link gives is the
 * payer's browser's).
 */
async function cardPayment(app: TestApp): Promise<SweepPage[]> {
  const { visitor } = await aCitizen(app, 'payer');
  const { sent } = await sendParkingPermit(visitor);
  const opened = await visitor.get(new URL(sent.headers.get('location')!, app.baseUrl).pathname);
  expectStatus(opened, 303, 'opening the payment');
  const card = opened.headers.get('location')!;
  await visitor.get(card);
  const paymentId = /\/pay\/card\/([a-z0-9]+)/.exec(card)![1]!;
  const entered = await visitor.post(`/pay/card/${paymentId}`, {
    cardNo: '4444333322221111',
    expiryMonth: '12',
    expiryYear: '39',
    cardholderName: 'Sweep Payer',
    cvc: '123',
  });
  expectStatus(entered, 303, 'entering the card');
  return [{ path: entered.headers.get('location')!, who: session('paying by card', visitor) }];
}
