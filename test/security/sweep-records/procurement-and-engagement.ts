import { createDemoBusiness } from '../../../src/modules/agents/index.js';
import { consultationForm } from '../../../src/modules/engagement/test/consultations.js';
import { findUserIdByEmail } from '../../../src/modules/identity/index.js';
import { findOrganisationBySlug } from '../../../src/modules/organisations/index.js';
import {
  publishNotice,
  submitTender,
  type ProcurementActor,
} from '../../../src/modules/procurement/index.js';
import { openDay, resourceForm, resourceId } from '../../../src/modules/bookings/test/helpers.js';
import { Visitor, csrfToken, type TestApp } from '../../helpers/app.js';
import { dateInputFields } from '../../helpers/dates.js';
import type { Person } from '../authorisation-matrix.js';
import type { MatrixSessions } from '../matrix-sessions.js';
import type { RecordMaker, SweepPage } from './index.js';
import { noticeForm } from '../../../src/modules/procurement/test/notice-form.js';
import { currentUserByEmail } from '../../helpers/current-user.js';

/**
 * Records for the forms of procurement (a supplier's clarification question, tender and
 * documents; a buyer's notices with tenders unsealed, scored, agreed, awarded and ordered
 * against), consultations (responses held, tagged and redacted; documents; the outcome),
 * petitions (one waiting to be checked, one flagged for bulk signing), a booking and a resource
 * of the staff's own, and case plans with an invited body, an accepting one and actions. Made
 * as the matrix's people through the app's own pages; only notices whose deadlines have passed
 * are made through the procurement module's commands, given a moment in the past (the pages work
 * at the present moment).
 */
export const procurementAndEngagement: RecordMaker = async (app, sessions) => {
  const as = (who: Person) => new MatrixPerson(app, sessions, who);
  return [
    ...(await procurement(app, as)),
    ...(await consultation(app, as)),
    ...(await petitions(app, as)),
    ...(await bookings(app, as)),
    ...(await casePlans(app, as)),
  ];
};

type As = (who: Person) => MatrixPerson;

/** The other citizen of the matrix (test/security/matrix-sessions.ts): the sweep's supplier. */
const SUPPLIER_EMAIL = 'other-citizen@example.com';
const OWNER_EMAIL = 'owner@stroud.example.gov.uk';
const DAY = 86_400_000;

/** A tiny PDF: what the document pages accept. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

interface Answer {
  status: number;
  location: string;
  html: string;
}

/**
 * A person of the matrix speaking to the app in the session the sweep goes on using (its cookie
 * and CSRF token), as their browser would: pages, forms and file uploads.
 */
class MatrixPerson {
  private readonly cookie: string;
  private readonly csrf: string;

  constructor(
    private readonly app: TestApp,
    sessions: MatrixSessions,
    readonly who: Person,
  ) {
    this.cookie = sessions.cookies.get(who)!;
    this.csrf = sessions.csrf.get(who)!;
  }

  get(path: string): Promise<Answer> {
    return this.send('GET', path);
  }

  post(path: string, fields: Record<string, string | string[]> = {}): Promise<Answer> {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries({ _csrf: this.csrf, ...fields }))
      for (const v of [value].flat()) body.append(name, v);
    return this.send('POST', path, body);
  }

  /** Sends a PDF named `name` with the fields, as a multipart form. */
  upload(path: string, name: string, fields: Record<string, string> = {}): Promise<Answer> {
    const form = new FormData();
    form.append('_csrf', this.csrf);
    for (const [key, value] of Object.entries(fields)) form.append(key, value);
    form.append('file', new Blob([new Uint8Array(PDF)]), name);
    return this.send('POST', path, form);
  }

  /** The page a form leads to (a 303's Location), or an error saying what went wrong. */
  async sent(path: string, fields?: Record<string, string | string[]>): Promise<string> {
    return redirected(await this.post(path, fields), `${this.who} posting ${path}`);
  }

  private async send(method: string, path: string, body?: BodyInit): Promise<Answer> {
    const response = await fetch(this.app.baseUrl + path, {
      method,
      redirect: 'manual',
      headers: { cookie: this.cookie },
      body,
    });
    return {
      status: response.status,
      location: response.headers.get('location') ?? '',
      html: await response.text(),
    };
  }
}

/** The Location of a 303, or an error: a record not made would leave its forms unreached. */
function redirected(answer: Answer | (Response & { html: string }), what: string): string {
  if (answer.status !== 303)
    throw new Error(`${what}: ${answer.status}, not 303\n${answer.html.slice(0, 2000)}`);
  return answer instanceof Response ? (answer.headers.get('location') ?? '') : answer.location;
}

/** The first match of `pattern`'s group in `text`, or an error naming what was looked for. */
function found(pattern: RegExp, text: string, what: string): string {
  const match = pattern.exec(text);
  if (!match?.[1]) throw new Error(`No ${what} found`);
  return match[1];
}

const UUID = '[0-9a-f-]{36}';

/** The id of the account with the e-mail address. */
async function userIdOf(app: TestApp, email: string): Promise<string> {
  const id = await findUserIdByEmail(app.platform.database.db, email);
  if (!id) throw new Error(`No account ${email}`);
  return id;
}

// Procurement.

/** The person as a procurement command sees them, from their account. */
async function actorOf(app: TestApp, email: string): Promise<ProcurementActor> {
  return { user: await currentUserByEmail(app.platform.database.db, email), baseUrl: app.baseUrl };
}

/**
 * The other citizen's business, registered as a supplier on the supplier page; answers the
 * supplier's id. A member of a supplier is who the supplier's pages (ask, tender, documents,
 * orders) show their forms to.
 */
async function aSupplier(app: TestApp, as: As): Promise<string> {
  const db = app.platform.database.db;
  const { businessId } = await createDemoBusiness(db, {
    name: 'Sweep Grounds Maintenance Ltd',
    companiesHouseNumber: '09876501',
    administratorEmail: SUPPLIER_EMAIL,
  });
  await as('otherCitizen').sent('/procurement/suppliers/register', {
    businessId,
    companyNumber: '09876501',
    vatNumber: 'GB 999 9999 73',
    isSme: 'yes',
    sectors: ['77000000'],
    regions: ['E12000009'],
    alerts: 'no',
  });
  return (
    await db
      .selectFrom('procurement_suppliers')
      .select('id')
      .where('business_id', '=', businessId)
      .executeTakeFirstOrThrow()
  ).id;
}

/**
 * A notice whose tender deadline passed ten days ago, with the supplier's tender sent before it:
 * published and tendered through the commands at a moment three weeks ago. Answers the notice's
 * id and the tender's.
 */
async function aClosedNotice(
  app: TestApp,
  supplierId: string,
  title: string,
): Promise<{ id: string; tender: string }> {
  const db = app.platform.database.db;
  const then = new Date(Date.now() - 21 * DAY);
  const published = await publishNotice(
    db,
    await actorOf(app, OWNER_EMAIL),
    noticeForm(then, { title }),
    then,
  );
  if (!published.ok) throw new Error(JSON.stringify(published.errors));
  const id = published.notice.id;
  const sent = await submitTender(
    db,
    await actorOf(app, SUPPLIER_EMAIL),
    {
      noticeId: id,
      supplierId,
      answers: { q1: 'Two teams of four.', q2: 'Electric mowers.' },
      price: '185000',
    },
    new Date(then.getTime() + DAY),
  );
  if (!sent.ok) throw new Error(JSON.stringify(sent.errors));
  return { id, tender: sent.response.id };
}

/** The panel's scores for a tender, saved on the tender's page by Stroud's service owner. */
async function scored(as: As, notice: string, tender: string): Promise<void> {
  await as('serviceOwner').sent(`/staff/procurement/${notice}/tenders/${tender}`, {
    'score-1': '7',
    'comment-1': 'A clear staffing plan.',
    'score-2': '6',
    'comment-2': 'A fair price.',
    version: '',
  });
}

/**
 * Procurement's records: an open notice with a supplier's clarification question waiting for an
 * answer, a document of the buyer's and one of the supplier's tender; and three notices whose
 * deadline has passed: one with its tender scored but not agreed (the score sheet and the
 * moderator's agreement), one agreed (the award), and one awarded with purchase orders in each
 * state (received, invoiced, an invoice to approve or reject).
 */
async function procurement(app: TestApp, as: As): Promise<SweepPage[]> {
  const db = app.platform.database.db;
  const owner = as('serviceOwner');
  const supplier = as('otherCitizen');
  const supplierId = await aSupplier(app, as);

  // The open notice, published on the staff page; the supplier asks, and attaches a document to
  // its tender; the buyer attaches one to the notice.
  const published = await owner.sent('/staff/procurement/new', {
    ...noticeForm(
      new Date(),
      { title: 'Sweep grounds maintenance (open)' },
      { clarification: 20, tender: 30 },
    ),
  });
  const open = found(new RegExp(`/staff/procurement/(${UUID})`), published, 'notice id');
  await supplier.sent(`/procurement/${open}/ask`, {
    supplierId,
    question: 'Is litter picking daily?',
  });
  redirected(
    await supplier.upload(`/procurement/${open}/tender/documents`, 'Method statement.pdf', {
      supplierId,
    }),
    'uploading a tender document',
  );
  redirected(
    await owner.upload(`/staff/procurement/${open}/documents`, 'Specification.pdf'),
    'uploading a notice document',
  );
  const documents = await owner.get(`/staff/procurement/${open}/documents`);
  const removeDocument = found(
    new RegExp(`href="(/staff/procurement/${open}/documents/${UUID}/remove)"`),
    documents.html,
    'link to remove a notice document',
  );

  // Past the deadline: a tender scored (not yet agreed) …
  const scoring = await aClosedNotice(app, supplierId, 'Sweep grounds maintenance (scoring)');
  await scored(as, scoring.id, scoring.tender);
  // … one whose scores the moderator agreed, waiting for the award …
  const agreed = await aClosedNotice(app, supplierId, 'Sweep grounds maintenance (to award)');
  await scored(as, agreed.id, agreed.tender);
  await owner.sent(`/staff/procurement/${agreed.id}/tenders/${agreed.tender}/agree`, {
    version: '1',
  });
  // … and one awarded, with three purchase orders: one still ordered, one received and
  // invoiced by the supplier (to approve or reject), one received waiting for an invoice.
  const awarded = await aClosedNotice(app, supplierId, 'Sweep grounds maintenance (awarded)');
  await scored(as, awarded.id, awarded.tender);
  await owner.sent(`/staff/procurement/${awarded.id}/tenders/${awarded.tender}/agree`, {
    version: '1',
  });
  await owner.sent(`/staff/procurement/${awarded.id}/award`, {
    responseId: awarded.tender,
    reasons: 'The best quality for the price.',
  });
  const orders: Record<string, string> = {};
  for (const description of ['First quarter', 'Second quarter', 'Third quarter']) {
    await owner.sent(`/staff/procurement/${awarded.id}/orders`, { description, amount: '1,000' });
    orders[description] = (
      await db
        .selectFrom('procurement_orders')
        .select('id')
        .where('description', '=', description)
        .orderBy('ordered_at', 'desc')
        .executeTakeFirstOrThrow()
    ).id;
  }
  for (const description of ['Second quarter', 'Third quarter'])
    await owner.sent(`/staff/procurement/${awarded.id}/orders/${orders[description]}/received`);
  const today = dateInputFields('invoiceDate', 0);
  await supplier.sent(`/procurement/orders/${orders['Second quarter']}/invoice`, {
    invoiceNumber: 'SWEEP-1',
    invoiceAmount: '1000',
    ...today,
  });

  return [
    { path: `/procurement/${open}/ask`, who: 'otherCitizen' },
    { path: `/procurement/${open}/tender`, who: 'otherCitizen' },
    { path: `/procurement/${open}/tender/documents?supplier=${supplierId}`, who: 'otherCitizen' },
    { path: `/staff/procurement/${open}`, who: 'serviceOwner' },
    { path: `/staff/procurement/${open}/edit`, who: 'serviceOwner' },
    { path: `/staff/procurement/${open}/questions`, who: 'serviceOwner' },
    { path: `/staff/procurement/${open}/documents`, who: 'serviceOwner' },
    { path: removeDocument, who: 'serviceOwner' },
    { path: `/staff/procurement/${scoring.id}/tenders/${scoring.tender}`, who: 'serviceOwner' },
    { path: `/staff/procurement/${agreed.id}`, who: 'serviceOwner' },
    { path: `/staff/procurement/${awarded.id}`, who: 'serviceOwner' },
    { path: `/procurement/orders/${orders['Third quarter']}`, who: 'otherCitizen' },
  ];
}

// Consultations.

/**
 * A Stroud consultation published by its service owner, with a response held for moderation
 * (its free text gives a telephone number), a theme to tag answers with and a document: the
 * response's page shows releasing, redacting and tagging; the outcome and the document's removal
 * are the service owner's.
 */
async function consultation(app: TestApp, as: As): Promise<SweepPage[]> {
  const owner = as('serviceOwner');
  const published = await owner.sent(
    '/staff/consultations/new',
    consultationForm({
      title: 'Sweep: parking charges in Stroud town centre',
      districts: 'GL5',
      'q1-options': 'Yes\nNo',
    }),
  );
  const id = found(new RegExp(`/staff/consultations/(${UUID})`), published, 'consultation id');

  // Someone not signed in responds, giving a telephone number: held as personal data.
  const respondent = new Visitor(app.baseUrl);
  const path = `/consultations/${id}/respond`;
  await respondent.get(path);
  redirected(await respondent.post(path, { respondentType: 'individual' }), 'answering about you');
  const first = await respondent.get(`${path}/questions/1`);
  const choice = found(/name="q1"[^>]*value="([^"]+)"/, first.html, 'first choice');
  redirected(await respondent.post(`${path}/questions/1`, { q1: choice }), 'answering q1');
  await respondent.get(`${path}/questions/2`);
  redirected(
    await respondent.post(`${path}/questions/2`, { q2: 'Ring me on 07700 900123' }),
    'answering q2',
  );
  await respondent.get(`${path}/check`);
  redirected(await respondent.post(`${path}/check`, {}), 'sending the response');
  const responseId = (
    await app.platform.database.db
      .selectFrom('consultation_responses')
      .select('id')
      .where('consultation_id', '=', id)
      .where('submitted_at', 'is not', null)
      .executeTakeFirstOrThrow()
  ).id;

  await as('caseworker').sent(`/staff/consultations/${id}/themes`, { name: 'Cost' });
  redirected(
    await owner.upload(`/staff/consultations/${id}/documents`, 'Parking options.pdf'),
    'uploading a consultation document',
  );
  const documents = await owner.get(`/staff/consultations/${id}/documents`);
  const removeDocument = found(
    new RegExp(`href="(/staff/consultations/${id}/documents/${UUID}/remove)"`),
    documents.html,
    'link to remove a consultation document',
  );
  return [
    { path: `/staff/consultations/${id}/responses/${responseId}`, who: 'caseworker' },
    // The outcome is published once the consultation has closed; before then its form is
    // refused with the reason, which is what the sweep's payloads meet here.
    { path: `/staff/consultations/${id}/outcome`, who: 'serviceOwner' },
    { path: removeDocument, who: 'serviceOwner' },
  ];
}

// Petitions.

/** A petition to Stroud started by the other citizen on the petitions page: pending, its id. */
async function aPetition(app: TestApp, as: As, title: string): Promise<string> {
  const stroud = (await findOrganisationBySlug(app.platform.database.db, 'stroud'))!;
  const started = await as('otherCitizen').sent('/petitions/start', {
    organisationId: stroud.id,
    title,
    action: 'Repair the footpaths along the canal between Stroud and Ebley.',
    background: 'They flood every winter and people cannot walk to work.',
  });
  return found(new RegExp(`/petitions/(${UUID})/started`), started, 'petition id');
}

/**
 * Two petitions to Stroud: one waiting for its staff to check it (moderating it), and one put
 * live by Stroud's caseworker, then signed from one address more often than an hour allows: the
 * attempts over the limit flag it for the body's staff. The attempts are empty forms (refused,
 * so no e-mail is sent), counted all the same. The pending one is given by its page, not left to
 * the crawl: the staff list links to every petition, and the crawl opens only a few of them.
 */
async function petitions(app: TestApp, as: As): Promise<SweepPage[]> {
  const pending = await aPetition(app, as, 'Sweep: light the towpath at night');
  const live = await aPetition(app, as, 'Sweep: mend the footpaths along the canal');
  await as('caseworker').sent(`/staff/petitions/${live}/moderate`, { decision: 'publish' });
  const signer = new Visitor(app.baseUrl);
  await signer.get(`/petitions/${live}/sign`);
  const csrf = csrfToken(signer.lastHtml);
  let status = 0;
  for (let attempt = 0; attempt < 40 && status !== 429; attempt++)
    status = (await signer.post(`/petitions/${live}/sign`, {}, csrf)).status;
  if (status !== 429) throw new Error('Signing from one address was never limited');
  return [
    { path: `/staff/petitions/${pending}`, who: 'caseworker' },
    { path: '/staff/petitions', who: 'caseworker' },
  ];
}

// Bookings.

/**
 * A free meeting room of Stroud's, set up by its service owner (so that the sweep changes and
 * withdraws its own rather than the demo's), and a booking of it by the other citizen, which
 * Stroud's staff may cancel.
 */
async function bookings(app: TestApp, as: As): Promise<SweepPage[]> {
  const slug = 'sweep-meeting-room';
  await as('serviceOwner').sent(
    '/staff/bookings/resources/new',
    resourceForm({ name: 'Sweep meeting room', nameCy: 'Ystafell gyfarfod' }),
  );
  const resource = await resourceId(app, slug);
  const day = await openDay(app, slug, 7);
  const booked = await as('otherCitizen').sent(`/book/stroud/${slug}/check`, {
    day,
    time: '10:00',
  });
  const booking = found(new RegExp(`/bookings/(${UUID})`), booked, 'booking id');
  return [
    { path: `/staff/bookings/${booking}`, who: 'caseworker' },
    { path: `/staff/bookings/resources/${resource}/change`, who: 'serviceOwner' },
    { path: `/staff/bookings/resources/${resource}/withdraw`, who: 'serviceOwner' },
  ];
}

// Case plans.

/**
 * Two case plans led by Stroud's caseworker for the citizen. Cheltenham is invited to both, on
 * the person's consent: it accepts the first (so its caseworker may break the glass on sections
 * not shared, and the citizen may withdraw the consent) and has yet to answer the second (its
 * invitation). The first has an action of Stroud's, to update and edit.
 */
async function casePlans(app: TestApp, as: As): Promise<SweepPage[]> {
  const db = app.platform.database.db;
  const lead = as('caseworker');
  const cheltenham = as('otherCaseworker');
  const stroud = (await findOrganisationBySlug(db, 'stroud'))!;
  const other = (await findOrganisationBySlug(db, 'cheltenham'))!;
  // The caseworker leads as the plan's lead professional.
  const leadProfessionalId = await userIdOf(app, 'caseworker@stroud.example.gov.uk');
  const open = async (summary: string) => {
    const location = await lead.sent('/staff/case-plans/new', {
      kind: 'domestic-abuse',
      subject: 'person',
      personName: 'Sam Citizen',
      'dob-day': '3',
      'dob-month': '4',
      'dob-year': '1990',
      personAddress: '1 High Street, Stroud GL5 1AA',
      personContact: '07700 900457',
      personEmail: 'citizen@example.com',
      leadProfessionalId,
      sensitive: 'no',
      summary,
    });
    const reference = found(/\/staff\/case-plans\/(CP-[A-Z0-9]+)/, location, 'plan reference');
    await lead.sent(`/staff/case-plans/${reference}/invite`, {
      organisationId: other.id,
      basis: 'consent',
      consentConfirmed: 'yes',
      basisDetail: 'Agreed at a home visit',
      sections: ['plan'],
    });
    return reference;
  };
  const accepted = await open('Support after leaving an abusive partner');
  const invited = await open('Support with housing');
  await cheltenham.sent(`/staff/case-plans/${accepted}/invitation`, { answer: 'accept' });
  await lead.sent(`/staff/case-plans/${accepted}/actions`, {
    organisationId: stroud.id,
    description: 'Find refuge space',
    responsible: 'Housing officer',
    ...dateInputFields('dueOn', 30),
  });
  const plan = await lead.get(`/staff/case-plans/${accepted}`);
  const edit = found(
    new RegExp(`href="(/staff/case-plans/${accepted}/actions/${UUID}/edit)"`),
    plan.html,
    'link to edit an action',
  );
  return [
    { path: `/staff/case-plans/${accepted}`, who: 'caseworker' },
    { path: edit, who: 'caseworker' },
    { path: `/staff/case-plans/${accepted}/break-glass`, who: 'otherCaseworker' },
    { path: `/staff/case-plans/${invited}/invitation`, who: 'otherCaseworker' },
    { path: `/account/case-plans/${accepted}`, who: 'citizen' },
  ];
}
