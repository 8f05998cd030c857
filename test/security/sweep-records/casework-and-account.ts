import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { DEMO_ACCOUNTS } from '../../../src/main/seed.js';
import { findCaseOfSubmission } from '../../../src/modules/casework/index.js';
import { findPublishedService } from '../../../src/modules/catalogue/index.js';
import { markDeliveryProblem } from '../../../src/modules/identity/index.js';
import { findOrganisationBySlug } from '../../../src/modules/organisations/index.js';
import { offerPassportedServices } from '../../../src/modules/passports/index.js';
import {
  decideByRules,
  FREE_SCHOOL_MEALS_SLUG,
  ruleSetInForce,
} from '../../../src/modules/rules/index.js';
import { submitChange } from '../../../src/modules/sharing/index.js';
import { createSubmission } from '../../../src/modules/submissions/index.js';
import { enqueue } from '../../../src/platform/outbox/outbox.js';
import { hiddenValue, unescapeHtml, Visitor, type TestApp } from '../../helpers/app.js';
import { CITIZEN_PASSWORD } from '../../helpers/citizens.js';
import { BULKY_WASTE } from '../../helpers/journeys.js';
import { DEMO_STAFF } from '../../helpers/staff.js';
import type { MatrixSessions } from '../matrix-sessions.js';
import type { RecordMaker, SweepPage } from './index.js';

/**
 * Records of casework and of people's accounts, in the states whose forms the demo never shows:
 * cases waiting for the applicant's answer, refused, referred or a colleague's; correspondence
 * answered, in clarification or cleared; offers, consents, enrolments, inbox messages and the
 * like. Each is made as the person who would make it, through the app's own pages where a page
 * does it, else through the module's public functions (what a provider, a partner body or the
 * worker does). The matrix's own sessions are left alone: the makers sign the same people in
 * afresh, and every record is a new one, so the matrix's records stay as the other tests expect.
 */
export const caseworkAndAccount: RecordMaker = async (app, sessions) => {
  const people = new People(app);
  const pages: SweepPage[] = [];
  for (const make of [
    deliveryProblem,
    authorityRequest,
    workflowDraft,
    casesOfTheDefaultWorkflow,
    colleaguesCase,
    automaticDecision,
    deathReportWithConsent,
    pendingEnrolment,
    correspondence,
    passports,
    inboxMessage,
    referenceRecord,
    businessNumbers,
    evidenceType,
    eEnablementEntry,
    draftService,
    webhookSecrets,
    deadLetter,
  ])
    pages.push(...(await make(app, people, sessions)));
  return pages;
};

type Maker = (app: TestApp, people: People, sessions: MatrixSessions) => Promise<SweepPage[]>;

const OTHER_CITIZEN = 'other-citizen@example.com';
const CITIZEN = 'citizen@example.com';

/** The people of the matrix (and Stroud's team leader), each signed in once, afresh. */
class People {
  private signedIn = new Map<string, Promise<Visitor>>();
  constructor(private readonly app: TestApp) {}

  get db() {
    return this.app.platform.database.db;
  }

  as(email: string): Promise<Visitor> {
    let visitor = this.signedIn.get(email);
    if (!visitor) {
      const password =
        email === OTHER_CITIZEN
          ? CITIZEN_PASSWORD
          : DEMO_ACCOUNTS.find((a) => a.email === email)!.password;
      visitor = (async () => {
        const v = new Visitor(this.app.baseUrl);
        await v.signIn(email, password);
        return v;
      })();
      this.signedIn.set(email, visitor);
    }
    return visitor;
  }

  citizen = () => this.as(CITIZEN);
  otherCitizen = () => this.as(OTHER_CITIZEN);
  agent = () => this.as('agent@cotswold-accountants.example.com');
  caseworker = () => this.as(DEMO_STAFF.caseworker[0]);
  leader = () => this.as(DEMO_STAFF.leader[0]);
  owner = () => this.as(DEMO_STAFF.owner[0]);
  admin = () => this.as(DEMO_STAFF.admin[0]);

  async idOf(email: string): Promise<string> {
    const row = await this.db
      .selectFrom('users')
      .select('id')
      .where(sql<string>`lower(email)`, '=', email)
      .executeTakeFirstOrThrow();
    return row.id;
  }
}

/** A page's form, posted as its person: fails the sweep (with the page's words) unless it succeeds. */
async function send(
  visitor: Visitor,
  page: string,
  action: string,
  fields: Record<string, string | string[]>,
  expected = 303,
): Promise<string> {
  await visitor.get(page);
  const response = await visitor.post(action, fields);
  if (response.status !== expected) {
    const problem = /govuk-error-summary__list[\s\S]*?<\/ul>/.exec(response.html)?.[0] ?? '';
    throw new Error(
      `${action} answered ${response.status}, not ${expected}: ${problem.replace(/<[^>]+>|\s+/g, ' ').trim()}`,
    );
  }
  return response.headers.get('location') ?? '';
}

function match(text: string, pattern: RegExp, what: string): string {
  const found = pattern.exec(text)?.[1];
  if (!found) throw new Error(`No ${what} in ${text.slice(0, 200)}`);
  return found;
}

const organisationId = async (app: TestApp, slug: string) =>
  (await findOrganisationBySlug(app.platform.database.db, slug))!.id;

const serviceId = async (app: TestApp, slug: string) =>
  (await findPublishedService(app.platform.database.db, slug, 'en'))!.id;

// ——— Account ———

/**
 * An e-mail to the other citizen bounced for good (what Notify's provider reports): their account
 * page asks them to check the address, with "it is right".
 */
const deliveryProblem: Maker = async (app) => {
  await markDeliveryProblem(app.platform.database.db, { channel: 'email', address: OTHER_CITIZEN });
  return [{ path: '/account', who: 'otherCitizen' }];
};

/**
 * The agent asks the other citizen for authority in bulky waste: the client's page shows the
 * request with approve and decline (the citizen's own authority is already approved).
 */
const authorityRequest: Maker = async (app, people) => {
  const agent = await people.agent();
  const business = await people.db
    .selectFrom('business_members')
    .select('business_id')
    .where('user_id', '=', await people.idOf('agent@cotswold-accountants.example.com'))
    .executeTakeFirstOrThrow();
  const bulky = await serviceId(app, BULKY_WASTE.split('/').at(-1)!);
  await send(
    agent,
    `/agents/request?business=${business.business_id}`,
    '/agents/request',
    { business: business.business_id, clientEmail: OTHER_CITIZEN, services: [bulky] },
    200,
  );
  return [{ path: '/agents/authorities', who: 'otherCitizen' }];
};

/** Stroud's own draft workflow (the platform's default, renamed): its page and its edit page. */
const workflowDraft: Maker = async (_app, people) => {
  const owner = await people.owner();
  const page = await owner.get('/casework/workflows/new');
  const text = unescapeHtml(
    match(page.html, /<textarea[^>]*name="definition"[^>]*>([\s\S]*?)<\/textarea>/, 'definition'),
  );
  const definition = JSON.parse(text) as { key: string; name: { en: string; cy: string } };
  definition.key = 'sweep-workflow';
  definition.name = { en: 'Sweep workflow', cy: 'Llif gwaith y sgubo' };
  const location = await send(owner, '/casework/workflows/new', '/casework/workflows/new', {
    definition: JSON.stringify(definition, null, 2),
  });
  const id = match(location, /\/casework\/workflows\/([^/?]+)/, 'workflow id');
  return [
    { path: `/casework/workflows/${id}`, who: 'serviceOwner' },
    { path: `/casework/workflows/${id}/edit`, who: 'serviceOwner' },
  ];
};

// ——— Casework ———

/**
 * A new application of the citizen's to a Stroud service on the platform's default workflow
 * (bulky waste has its own, without requests for information or reviews), handed to casework
 * by the worker as any application is. Returns the case's reference.
 */
async function applicationOnDefaultWorkflow(app: TestApp, people: People): Promise<string> {
  const db = people.db;
  const stroud = await organisationId(app, 'stroud');
  const bulky = await serviceId(app, BULKY_WASTE.split('/').at(-1)!);
  const service = await db
    .selectFrom('services')
    .select('id')
    .where('organisation_id', '=', stroud)
    .where('id', '!=', bulky)
    .orderBy('slug')
    .executeTakeFirstOrThrow();
  const citizenId = await people.idOf(CITIZEN);
  const submission = await createSubmission(
    db,
    {
      draftId: randomUUID(),
      serviceId: service.id,
      organisationId: stroud,
      applicantUserId: citizenId,
      answers: { values: {}, summary: { en: [], cy: [] } },
    },
    { userId: citizenId, organisationId: null, role: 'citizen' },
  );
  await app.platform.worker.drain();
  return (await findCaseOfSubmission(db, submission.id))!.reference;
}

/** The caseworker takes a workflow action from the case page, as its form posts. */
async function act(caseworker: Visitor, reference: string, action: string, comment = '') {
  const page = await caseworker.get(`/casework/${reference}`);
  await send(caseworker, `/casework/${reference}`, `/casework/${reference}/actions/${action}`, {
    version: hiddenValue(page.html, 'version'),
    ...(comment ? { comment } : {}),
  });
}

/**
 * Two cases on the default workflow, worked by the caseworker: one waiting for the applicant's
 * answer to a question (the caseworker may cancel it, the applicant answer it) and offered to
 * Cheltenham (who may accept or decline); one refused (the applicant may ask for a review).
 */
const casesOfTheDefaultWorkflow: Maker = async (app, people) => {
  const caseworker = await people.caseworker();
  const waiting = await applicationOnDefaultWorkflow(app, people);
  for (const action of ['assign', 'start']) await act(caseworker, waiting, action);
  const page = await caseworker.get(`/casework/${waiting}`);
  await send(caseworker, `/casework/${waiting}`, `/casework/${waiting}/information`, {
    question: 'Which floor do you live on?',
    'replyBy-day': '',
    'replyBy-month': '',
    'replyBy-year': '',
    version: hiddenValue(page.html, 'version'),
  });
  const questions = await (await people.citizen()).get(`/applications/${waiting}/information`);
  const question = match(
    questions.html,
    new RegExp(`/applications/${waiting}/information/([0-9a-f-]{36})`),
    'request for information',
  );

  await send(caseworker, `/casework/${waiting}/referrals/new`, `/casework/${waiting}/referrals`, {
    organisationId: await organisationId(app, 'cheltenham'),
    kind: 'refer',
    parts: ['answers', 'history'],
    reason: 'The applicant lives in Cheltenham.',
    consent: 'phone',
    consentNote: '',
  });
  const referral = await people.db
    .selectFrom('case_referrals')
    .select('id')
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();

  const refused = await applicationOnDefaultWorkflow(app, people);
  for (const action of ['assign', 'start']) await act(caseworker, refused, action);
  await act(caseworker, refused, 'refuse', 'The items are trade waste.');
  await app.platform.worker.drain();

  return [
    { path: `/casework/${waiting}`, who: 'caseworker' },
    { path: `/applications/${waiting}/information/${question}`, who: 'citizen' },
    { path: `/casework/referrals/${referral.id}`, who: 'otherCaseworker' },
    { path: `/applications/${refused}/review`, who: 'citizen' },
  ];
};

/** A case the caseworker gave to the team leader: opening it asks the caseworker why first. */
const colleaguesCase: Maker = async (app, people) => {
  const caseworker = await people.caseworker();
  const reference = await applicationOnDefaultWorkflow(app, people);
  const page = await caseworker.get(`/casework/${reference}`);
  await send(caseworker, `/casework/${reference}`, `/casework/${reference}/assign`, {
    assignee: await people.idOf(DEMO_STAFF.leader[0]),
    version: hiddenValue(page.html, 'version'),
  });
  return [{ path: `/casework/${reference}/reason`, who: 'caseworker' }];
};

/**
 * Free school meals decided by the rules: the platform admin lets them decide (on the setting's
 * page), and an application of the citizen's is decided as the web journey decides it, with the
 * answers the rules read (the journey itself needs a second factor the matrix's citizen has not).
 */
const automaticDecision: Maker = async (app, people) => {
  const db = people.db;
  const fsm = await serviceId(app, FREE_SCHOOL_MEALS_SLUG);
  const settings = `/rules/staff/${fsm}/automatic-decisions`;
  await send(await people.admin(), settings, settings, { decide: 'yes', samplePercent: '0' });
  const county = await organisationId(app, 'gloucestershire');
  const citizenId = await people.idOf(CITIZEN);
  const version = (await ruleSetInForce(db, fsm, 'eligibility'))!;
  const answers = { qualifyingBenefit: 'yes', stateSchool: 'yes' };
  const reference = await db.transaction().execute(async (trx) => {
    const submission = await createSubmission(
      trx,
      {
        draftId: randomUUID(),
        serviceId: fsm,
        organisationId: county,
        applicantUserId: citizenId,
        answers: { values: answers, summary: { en: [], cy: [] } },
        ruleSetVersionId: version.id,
      },
      { userId: citizenId, organisationId: null, role: 'citizen' },
    );
    const outcome = await decideByRules(trx, app.platform.config, {
      submission,
      answers,
      evidenceQuestions: [],
    });
    if (!outcome.decided) throw new Error(`The rules did not decide: ${outcome.reason}`);
    return submission.reference;
  });
  await app.platform.worker.drain();
  return [
    { path: `/applications/${reference}/automatic-decision/review`, who: 'citizen' },
    { path: settings, who: 'admin' },
  ];
};

// ——— Tell us once, enrolment ———

/**
 * The other citizen reports a death, telling the bodies that need consent: the report is held for
 * the platform admin to verify, and the consents are on the citizen's consents page.
 */
const deathReportWithConsent: Maker = async (app, people) => {
  const db = people.db;
  const userId = await people.idOf(OTHER_CITIZEN);
  const agreements = (
    await db.selectFrom('sharing_agreements').select(['id', 'event_types']).execute()
  ).filter((a) => a.event_types.includes('death'));
  const change = await db.transaction().execute((trx) =>
    submitChange(
      trx,
      {
        userId,
        type: 'death',
        details: {
          deceasedGivenName: 'Pat',
          deceasedFamilyName: 'Example',
          deceasedDateOfBirth: '1940-02-01',
          dateOfDeath: '2026-11-01',
          deathRegistrationReference: 'DA 998877',
          reporterRelationship: 'executor',
        },
        consentedAgreementIds: agreements.map((a) => a.id),
      },
      { userId, organisationId: null, role: 'citizen' },
      app.platform.config.baseUrl,
    ),
  );
  if (!change.ok) throw new Error(`The death report was refused: ${change.problems.join(', ')}`);
  return [
    { path: '/account/consents', who: 'otherCitizen' },
    { path: `/admin/sharing/verifications/${change.change.id}`, who: 'admin' },
  ];
};

/** The other citizen asks to link Stroud's council tax account: pending, it may be removed. */
const pendingEnrolment: Maker = async (_app, people) => {
  const location = await send(
    await people.otherCitizen(),
    '/enrol/stroud/council-tax',
    '/enrol/stroud/council-tax',
    { reference: '40318275', postcode: 'GL5 4UB' },
  );
  const id = match(location, /\/enrol\/enrolments\/([0-9a-f-]{36})/, 'enrolment');
  return [{ path: `/enrol/enrolments/${id}/remove`, who: 'otherCitizen' }];
};

// ——— Complaints, FOI and members' letters ———

/**
 * The citizen's complaint answered at stage 1 (the citizen and the caseworker may escalate it);
 * an FOI request answered by the team leader (the citizen may ask for a review) and another so
 * answered and reviewed (the caseworker, who did not answer it, decides the review); one in
 * clarification; and a member's letter drafted and cleared by the team leader (to be sent). The
 * team leader's own "clear" form is reached on a second letter, in last-steps.ts.
 */
const correspondence: Maker = async (app, people) => {
  const citizen = await people.citizen();
  const caseworker = await people.caseworker();
  const leader = await people.leader();
  const stroud = await organisationId(app, 'stroud');
  const make = async (kind: 'complaint' | 'foi', subject: string) => {
    const path = kind === 'foi' ? '/foi/request' : '/complaints/new';
    const location = await send(citizen, path, path, {
      organisationId: stroud,
      name: 'Sam Citizen',
      email: CITIZEN,
      subject,
      details: 'How much did the council spend on agency staff in each of the last three years?',
    });
    return location.split('/').at(-1)!;
  };
  const staffStep = (visitor: Visitor, reference: string, step: string, fields = {}) =>
    send(
      visitor,
      `/staff/correspondence/${reference}`,
      `/staff/correspondence/${reference}/${step}`,
      fields,
    );
  const answerFoi = (reference: string) =>
    staffStep(leader, reference, 'respond', {
      outcome: 'refused',
      exemptions: ['s43'],
      response: 'The contract prices are commercially sensitive.',
    });

  const complaint = await make('complaint', 'Missed bin collection');
  await staffStep(caseworker, complaint, 'respond', {
    outcome: 'not-upheld',
    response: 'The crew found the bin was not out.',
  });

  const answered = await make('foi', 'Agency staff spending');
  await answerFoi(answered);
  const reviewed = await make('foi', 'Consultants spending');
  await answerFoi(reviewed);
  const own = `/account/correspondence/${reviewed}`;
  const review = (
    await send(citizen, own, `${own}/review`, { reviewReason: 'Section 43 does not apply.' })
  )
    .split('/')
    .at(-1)!;
  const clarifying = await make('foi', 'Agency social workers');
  await staffStep(caseworker, clarifying, 'clarify', { question: 'Social workers only?' });

  const letter = match(
    await send(caseworker, '/staff/correspondence/member/new', '/staff/correspondence/member/new', {
      memberName: 'Siobhan Baillie MP',
      memberRole: 'mp',
      memberEmail: 'siobhan.baillie.mp@parliament.example.uk',
      constituentName: 'A constituent in Nailsworth',
      subject: 'Flooding on Bath Road',
      details: 'My constituent asks when the drains will be cleared.',
      ownerId: '',
    }),
    /\/staff\/correspondence\/(MC-[A-Z0-9]+)/,
    'member letter',
  );
  await staffStep(caseworker, letter, 'draft', { draft: 'The drains will be cleared on Monday.' });
  await staffStep(leader, letter, 'clear');
  await app.platform.worker.drain();

  return [
    { path: `/account/correspondence/${complaint}`, who: 'citizen' },
    { path: `/staff/correspondence/${complaint}`, who: 'caseworker' },
    { path: `/account/correspondence/${answered}`, who: 'citizen' },
    { path: `/staff/correspondence/${review}`, who: 'caseworker' },
    { path: `/staff/correspondence/${clarifying}`, who: 'caseworker' },
    { path: `/staff/correspondence/${letter}`, who: 'caseworker' },
  ];
};

// ——— Passports, inbox, references ———

/**
 * The other citizen's Pension Credit approved: DWP's demo passports offer them what it passports
 * to (as the worker does on the decision). The demo's passports are on Pension Credit's page.
 */
const passports: Maker = async (app, people) => {
  const db = people.db;
  const pensionCredit = await serviceId(app, 'pension-credit');
  const userId = await people.idOf(OTHER_CITIZEN);
  const dwp = await organisationId(app, 'dwp');
  // Only `trx` inside: the embedded database has one connection, which the transaction holds.
  await db.transaction().execute(async (trx) => {
    const submission = await createSubmission(
      trx,
      {
        draftId: randomUUID(),
        serviceId: pensionCredit,
        organisationId: dwp,
        applicantUserId: userId,
        answers: { values: {}, summary: { en: [], cy: [] } },
      },
      { userId, organisationId: null, role: 'citizen' },
    );
    const offers = await offerPassportedServices(
      trx,
      app.platform.config,
      submission.id,
      `sweep-offers:${submission.id}`,
    );
    if (offers.length === 0) throw new Error('No passported service was offered');
  });
  return [
    { path: '/account/offers', who: 'otherCitizen' },
    { path: `/staff/passports/${pensionCredit}`, who: 'admin' },
  ];
};

/** The caseworker writes to the citizen about their application, letting them reply. */
const inboxMessage: Maker = async (app, people, sessions) => {
  const caseworker = await people.caseworker();
  const page = await caseworker.get('/inbox/staff/new');
  const form = new FormData();
  for (const [name, value] of Object.entries({
    _csrf: hiddenValue(page.html, '_csrf'),
    reference: sessions.ids.reference,
    subject: 'Your collection: a question',
    body: 'Can the crew reach the back garden?',
    repliesAllowed: 'yes',
  }))
    form.append(name, value);
  const sent = await fetch(`${app.baseUrl}/inbox/staff/new`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: caseworker.cookieHeader() },
    body: form,
  });
  if (sent.status !== 303) throw new Error(`The message was refused: ${sent.status}`);
  const message = await people.db
    .selectFrom('inbox_messages')
    .select('id')
    .where('subject', '=', 'Your collection: a question')
    .executeTakeFirstOrThrow();
  return [
    { path: `/inbox/${message.id}`, who: 'citizen' },
    { path: `/inbox/${message.id}/delete`, who: 'citizen' },
  ];
};

/**
 * A council tax reference Stroud registers for someone no account matches: it waits in the
 * resolution queue, to be rejected (linking needs an account it partly matched, which needs a
 * proved identity, as confirming one's own does: no person of the matrix has one).
 */
const referenceRecord: Maker = async (_app, people) => {
  const location = await send(
    await people.caseworker(),
    '/staff/references/new',
    '/staff/references/new',
    {
      subject: 'person',
      reference: 'CT-SWEEP-1',
      givenName: 'Nobody',
      familyName: 'Known',
      dateOfBirth: '1970-01-01',
      postcode: 'GL5 4UB',
      uprn: '',
      nino: 'JG 10 37 59 B',
    },
  );
  const id = match(location, /\/staff\/references\/([0-9a-f-]{36})/, 'reference record');
  return [{ path: `/staff/references/${id}`, who: 'caseworker' }];
};

/** The agent's business, which they administer: its numbers, and the form to add one. */
const businessNumbers: Maker = async (_app, people) => {
  const member = await people.db
    .selectFrom('business_members')
    .select('business_id')
    .where('user_id', '=', await people.idOf('agent@cotswold-accountants.example.com'))
    .where('role', '=', 'administrator')
    .executeTakeFirstOrThrow();
  return [
    { path: `/account/business-numbers/${member.business_id}`, who: 'agentWithoutAuthority' },
  ];
};

// ——— Service owners' and the platform admin's pages ———

/** Stroud answers evidence from a table it keeps: the type's page (withdraw) and its rows. */
const evidenceType: Maker = async (_app, people) => {
  const code = 'stroud-sweep-residents';
  await send(await people.owner(), '/staff/evidence/new', '/staff/evidence/new', {
    code,
    name: 'Lives in Stroud district',
    nameCy: 'Yn byw yn ardal Stroud',
    askEn: 'whether you live in Stroud district',
    askCy: 'a ydych yn byw yn ardal Stroud',
    yesEn: 'you live in Stroud district',
    yesCy: 'rydych yn byw yn ardal Stroud',
    noEn: 'you do not live in Stroud district',
    noCy: 'nid ydych yn byw yn ardal Stroud',
    valueEn: '',
    valueCy: '',
    subjectKind: 'person',
    answerKind: 'yes-no',
    legalBasis: 'Checking residence for council services',
    legalBasisReference: 'Local Government Act 1972, s.111',
    consentNeeded: 'no',
    slaSeconds: '30',
    answeredBy: 'table',
    webhookUrl: '',
  });
  return [
    { path: `/staff/evidence/types/${code}`, who: 'serviceOwner' },
    { path: `/staff/evidence/types/${code}/rows`, who: 'serviceOwner' },
  ];
};

/** One line of Stroud's e-enablement register, as its keeper opens it from the register. */
const eEnablementEntry: Maker = async (_app, people) => {
  const register = await (await people.owner()).get('/staff/performance/e-enablement');
  const path = match(
    register.html,
    /href="(\/staff\/performance\/e-enablement\/[^/"]+\/[^/"]+)"/,
    'register line',
  );
  return [{ path: unescapeHtml(path), who: 'serviceOwner' }];
};

/** A service Stroud's owner added and has not published: its page has "Publish". */
const draftService: Maker = async (_app, people) => {
  const location = await send(
    await people.owner(),
    '/catalogue/staff/services/new',
    '/catalogue/staff/services/new',
    {
      slug: 'hire-a-sweep-hall',
      title: 'Hire a community hall',
      summary: 'Book one of Stroud’s community halls for a meeting or a party.',
      audience: 'both',
      providerTier: 'district',
      serviceKey: 'hire-a-sweep-hall',
    },
  );
  const id = match(location, /\/catalogue\/staff\/services\/([^/?]+)/, 'service');
  return [{ path: `/catalogue/staff/services/${id}`, who: 'serviceOwner' }];
};

/**
 * Cardiff's applications pushed to its own system by webhook, its signing secret rotated once:
 * the hub page offers to rotate again and to retire the old one. (Cardiff, not Stroud: Stroud's
 * applications must go on reaching casework, and the matrix's keys are Stroud's.)
 */
const webhookSecrets: Maker = async (_app, people) => {
  const admin = await people.admin();
  const hub = '/admin/hub/cardiff';
  await send(
    admin,
    `${hub}/delivery`,
    `${hub}/delivery`,
    {
      mode: 'push',
      webhookUrl: 'https://cardiff.example.com/joinedup/webhook',
      alertEmail: 'hub-alerts@cardiff.example.gov.uk',
    },
    201,
  );
  await send(admin, hub, `${hub}/secrets`, {}, 201);
  return [{ path: hub, who: 'admin' }];
};

/** A message no handler takes, given up on: the outbox page offers to send it again. */
const deadLetter: Maker = async (app) => {
  const db = app.platform.database.db;
  await enqueue(db, { topic: 'sweep.nowhere', payload: {}, idempotencyKey: 'sweep-nowhere' });
  await db
    .updateTable('outbox')
    .set({ status: 'dead', last_error: 'No handler for topic sweep.nowhere' })
    .where('idempotency_key', '=', 'sweep-nowhere')
    .execute();
  return [{ path: '/admin/outbox', who: 'admin' }];
};
