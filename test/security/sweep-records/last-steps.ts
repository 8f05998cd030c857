import { findOrganisationBySlug } from '../../../src/modules/organisations/index.js';
import { IDENTITY_REGISTER_HOLDER, loadRegister } from '../../../src/modules/registers/index.js';
import { Visitor, type TestApp } from '../../helpers/app.js';
import { signedInStaff } from '../../helpers/staff.js';
import type { RecordMaker, SweepPage } from './index.js';
import { aCitizen, expectStatus, session, setUpApp } from './people.js';

/**
 * The last forms the other makers leave: a business's application at the page asking which of
 * its applicant's businesses it is for, a member's letter waiting for the team leader to clear,
 * and a body's references matched in part to a person who has proved who they are (the staff
 * check that links one, and the person's own confirm and decline). Each person is new and signed
 * in here, steps up and proves their identity through the app's own pages as they would.
 */
export const lastSteps: RecordMaker = async (app) => [
  ...(await businessChoice(app)),
  ...(await letterToClear(app)),
  ...(await referencesToResolve(app)),
];

/** A page's form, posted as its person after opening the page: the `Location` it answers. */
async function send(
  visitor: Visitor,
  path: string,
  fields: Record<string, string>,
  step: string,
  action = path,
): Promise<string> {
  await visitor.get(path);
  const response = await visitor.post(action, fields);
  expectStatus(response, 303, step);
  return response.headers.get('location') ?? '';
}

const GRANT = '/services/small-business-grant-stroud/apply';

/**
 * A citizen at a second factor (the small business grant's level) who belongs to two businesses
 * of their own: the grant's first page asks which one the application is for.
 */
async function businessChoice(app: TestApp): Promise<SweepPage[]> {
  const { visitor } = await aCitizen(app, 'two-businesses');
  await setUpApp(visitor);
  for (const name of ['Sweep Florist Ltd', 'Sweep Hardware Ltd'])
    await send(
      visitor,
      '/business/new',
      { name, type: 'business', companiesHouseNumber: '', charityNumber: '' },
      `making ${name}`,
    );
  const start = await visitor.get(GRANT);
  expectStatus(start, 303, 'starting the grant');
  if (start.headers.get('location') !== `${GRANT}/business`)
    throw new Error(`The grant did not ask which business: ${start.headers.get('location')}`);
  return [{ path: `${GRANT}/business`, who: session('member of two businesses', visitor) }];
}

/**
 * A member's letter drafted by the caseworker and waiting for clearance, on the page of Stroud's
 * team leader (whom the matrix does not sign in), whose button clears it. The casework maker's
 * letter is cleared there already, so that its "send" is reached.
 */
async function letterToClear(app: TestApp): Promise<SweepPage[]> {
  const caseworker = await signedInStaff(app, 'caseworker');
  const location = await send(
    caseworker,
    '/staff/correspondence/member/new',
    {
      memberName: 'A county councillor',
      memberRole: 'councillor',
      memberEmail: 'councillor@gloucestershire.example.gov.uk',
      constituentName: 'A resident of Minchinhampton',
      subject: 'Verges not cut',
      details: 'My resident asks when the verges on Butt Street will be cut.',
      ownerId: '',
    },
    'writing down a member’s letter',
  );
  const letter = /\/staff\/correspondence\/(MC-[A-Z0-9]+)/.exec(location)?.[1];
  if (!letter) throw new Error(`No member letter in ${location}`);
  const page = `/staff/correspondence/${letter}`;
  await send(
    caseworker,
    page,
    { draft: 'The verges will be cut next month.' },
    'drafting the reply',
    `${page}/draft`,
  );
  const leader = await signedInStaff(app, 'leader');
  const shown = await leader.get(page);
  if (!shown.html.includes(`${page}/clear`))
    throw new Error('The team leader is not offered to clear the letter');
  return [{ path: page, who: session('team leader clearing a letter', leader) }];
}

/** Someone DWP's register holds (added for the sweep), whose identity the citizen proves. */
const ROBIN = {
  nino: 'JG981273C',
  givenName: 'Robin',
  familyName: 'Sweepwell',
  dateOfBirth: '1979-03-21',
  postcode: 'GL5 4UB',
  addressLine1: '2 High Street',
  addressLine2: null,
  town: 'Stroud',
};

/**
 * A citizen who proves their identity online (at a second factor, through /verify, with facts
 * DWP's register holds), and two council tax references Stroud's caseworker registers with their
 * name, date of birth and National Insurance number at another postcode: each matches them only in
 * part and waits. The caseworker's page of one offers to link it (a staff check); the citizen's
 * references page offers to confirm or decline each.
 */
async function referencesToResolve(app: TestApp): Promise<SweepPage[]> {
  const db = app.platform.database.db;
  const dwp = (await findOrganisationBySlug(db, IDENTITY_REGISTER_HOLDER))!;
  await loadRegister(db, dwp.id, [ROBIN]);

  const { visitor } = await aCitizen(app, 'proving');
  await setUpApp(visitor);
  await send(visitor, '/verify', { returnTo: '/account/references' }, 'starting /verify');
  const [year, month, day] = ROBIN.dateOfBirth.split('-') as [string, string, string];
  for (const [step, fields] of [
    ['name', { givenName: ROBIN.givenName, familyName: ROBIN.familyName }],
    [
      'date-of-birth',
      { 'dateOfBirth-day': day, 'dateOfBirth-month': month, 'dateOfBirth-year': year },
    ],
    ['national-insurance-number', { nino: ROBIN.nino }],
    ['postcode', { postcode: ROBIN.postcode }],
  ] as const)
    await send(visitor, `/verify/${step}`, fields, `/verify/${step}`);
  const proved = await send(visitor, '/verify/check', {}, 'proving identity');
  if (proved !== '/account/references') throw new Error(`Identity not proved: ${proved}`);

  const caseworker = await signedInStaff(app, 'caseworker');
  const records: string[] = [];
  for (const reference of ['CT-SWEEP-2', 'CT-SWEEP-3']) {
    const location = await send(
      caseworker,
      '/staff/references/new',
      {
        subject: 'person',
        reference,
        givenName: ROBIN.givenName,
        familyName: ROBIN.familyName,
        dateOfBirth: ROBIN.dateOfBirth,
        postcode: 'GL6 8NT',
        uprn: '',
        nino: ROBIN.nino,
      },
      `registering ${reference}`,
    );
    const id = /\/staff\/references\/([0-9a-f-]{36})/.exec(location)?.[1];
    if (!id) throw new Error(`No reference record in ${location}`);
    records.push(id);
  }
  const own = await visitor.get('/account/references');
  for (const id of records)
    if (!own.html.includes(`/account/references/${id}/confirm`))
      throw new Error(`Reference ${id} is not waiting for the citizen to confirm`);
  return [
    { path: `/staff/references/${records[0]}`, who: 'caseworker' },
    { path: '/account/references', who: session('identity proved', visitor) },
  ];
}
