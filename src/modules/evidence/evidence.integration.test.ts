import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hiddenValue,
  startTestApp,
  type TestApp,
  type Visitor,
} from '../../../test/helpers/app.js';
import { aSignedInCitizen } from '../../../test/helpers/citizens.js';
import { loadConfig } from '../../platform/config/config.js';
import { publishForm } from '../forms/index.js';
import { findOrganisationBySlug } from '../organisations/index.js';
import { hubDeliverySet, hubKeyCreate } from '../submissions/index.js';
import {
  askForEvidence,
  verifyEvidenceSnapshot,
  type EvidenceSnapshot,
} from './commands/requests.js';
import { publishEvidenceType, type EvidenceTypeInput } from './commands/types.js';
import { canonicalJson } from './signing.js';

/**
 * The evidence exchange end to end: a county's form asks DWP (a real HTTP answering body on
 * 127.0.0.1 that answers, fails on purpose, or is too slow), a table DWP keeps, and DWP's pull
 * queue; consent and legal basis are checked before anything is sent.
 */
let app: TestApp;
const db = () => app.platform.database.db;
const drain = () => app.platform.worker.drain();
const config = loadConfig({ DATA_DIR: ':memory:', LOG_LEVEL: 'silent', WORKER: 'off' });
const SLUG = 'free-school-meals-evidence-test';
const CODE = 'dwp-pension-credit';
const NINO = 'JG103759A';
let dwp: string;
let county: string;
let dwpKey: string;
let secret: string;

/** DWP's system: checks our signature, then answers at the call back, fails, or is too slow. */
const body = {
  url: '',
  mode: 'answer' as 'answer' | 'fail' | 'slow',
  value: true as unknown,
  arrivals: [] as { id: string; verified: boolean; subject: Record<string, string> }[],
  server: undefined as Server | undefined,
};

function sign(raw: string): string {
  const t = Math.floor(Date.now() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex')}`;
}

function verified(header: string | undefined, raw: string): boolean {
  const fields = (header ?? '').split(',').map((f) => f.split('='));
  const t = fields.find(([n]) => n === 't')?.[1];
  const expected = createHmac('sha256', secret).update(`${t}.${raw}`).digest();
  return fields
    .filter(([n]) => n === 'v1')
    .some(([, v]) => {
      const given = Buffer.from(v ?? '', 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}

async function callBack(url: string, answer: unknown, signature?: string) {
  const raw = canonicalJson(answer);
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'joinedup-signature': signature ?? sign(raw) },
    body: raw,
  });
}

async function startBody(): Promise<void> {
  body.server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const message = JSON.parse(raw) as {
        id: string;
        answer: string;
        subject: Record<string, string>;
      };
      body.arrivals.push({
        id: message.id,
        verified: verified(request.headers['joinedup-signature'] as string, raw),
        subject: message.subject,
      });
      if (body.mode === 'fail') return response.writeHead(500).end();
      response.writeHead(202).end();
      // The answer address names the site's BASE_URL; the test app listens on its own port.
      const answer = message.answer.replace(/^https?:\/\/[^/]+/, app.baseUrl);
      if (body.mode === 'answer') void callBack(answer, { value: body.value });
    });
  });
  await new Promise<void>((resolve) => body.server!.listen(0, '127.0.0.1', resolve));
  body.url = `http://127.0.0.1:${(body.server!.address() as AddressInfo).port}/evidence`;
}

/** A one-page PDF (an award letter the person uploads instead). */
function minimalPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
  ];
  let text = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(text, 'latin1'));
    text += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(text, 'latin1');
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) text += `${String(offset).padStart(10, '0')} 00000 n \n`;
  text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(text, 'latin1');
}

const TYPE: EvidenceTypeInput = {
  code: CODE,
  name: 'Receives Pension Credit',
  nameCy: 'Yn cael Credyd Pensiwn',
  askEn: 'whether you receive Pension Credit',
  askCy: 'a ydych yn cael Credyd Pensiwn',
  yesEn: 'you receive Pension Credit',
  yesCy: 'rydych yn cael Credyd Pensiwn',
  noEn: 'you do not receive Pension Credit',
  noCy: 'nid ydych yn cael Credyd Pensiwn',
  subjectKind: 'person',
  answerKind: 'yes-no',
  legalBasis: 'Free school meals: checking entitlement with DWP',
  legalBasisReference: 'Education Act 1996, s.512ZB',
  consentNeeded: true,
  slaSeconds: 3,
  answeredBy: 'webhook',
  webhookUrl: '',
};

async function publishType(changes: Partial<EvidenceTypeInput> = {}) {
  const outcome = await db()
    .transaction()
    .execute((trx) =>
      publishEvidenceType(
        trx,
        { hubAllowPrivateWebhooks: true },
        dwp,
        { ...TYPE, webhookUrl: body.url, ...changes },
        { userId: null, organisationId: dwp, role: 'service-owner' },
      ),
    );
  expect(outcome.ok).toBe(true);
}

async function requestsOf(userId: string) {
  return db()
    .selectFrom('evidence_requests')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
}

async function until(check: () => Promise<boolean>, ms = 3000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('timed out waiting');
}

/** A citizen who has answered the first page and reached the evidence page. */
async function citizenAtEvidence() {
  const citizen = await aSignedInCitizen(app);
  const v = citizen.visitor;
  const start = await v.get(`/services/${SLUG}/apply`);
  expect(start.headers.get('location')).toBe(`/services/${SLUG}/apply/about-you`);
  await v.get(`/services/${SLUG}/apply/about-you`);
  const about = await v.post(`/services/${SLUG}/apply/about-you`, {
    fullName: 'Ann Example',
    'dateOfBirth-day': '4',
    'dateOfBirth-month': '5',
    'dateOfBirth-year': '1950',
    nino: 'JG 10 37 59 A',
    actingFor: '',
  });
  expect(about.headers.get('location')).toBe(`/services/${SLUG}/apply/benefit`);
  return citizen;
}

async function ask(v: Visitor, consent: string) {
  const page = await v.get(`/services/${SLUG}/apply/benefit`);
  expect(page.html).toContain('We will ask');
  expect(page.html).toContain('whether you receive Pension Credit');
  const asked = await v.post(`/services/${SLUG}/apply/benefit`, {
    action: 'ask',
    consent,
    actingFor: '',
  });
  expect(asked.status).toBe(303);
}

/** Uploads a PDF on the fallback page and sends the application; returns its stored answers. */
async function uploadAndSubmit(v: Visitor, userId: string) {
  const page = await v.get(`/services/${SLUG}/apply/benefit`);
  expect(page.html).toContain('enctype="multipart/form-data"');
  const form = new FormData();
  form.append('_csrf', /name="_csrf" value="([^"]+)"/.exec(page.html)![1]!);
  form.append('actingFor', '');
  form.append('file', new Blob([new Uint8Array(minimalPdf())]), 'award-letter.pdf');
  const uploaded = await fetch(`${app.baseUrl}/services/${SLUG}/apply/benefit`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
    headers: { cookie: v.cookieHeader() },
  });
  expect(uploaded.status).toBe(303);
  return submit(v, userId, 'award-letter.pdf');
}

async function submit(v: Visitor, userId: string, shown: string) {
  const check = await v.get(`/services/${SLUG}/apply/check-answers`);
  expect(check.status).toBe(200);
  expect(check.html).toContain('Ann Example');
  expect(check.html).toContain(shown);
  const sent = await v.post(`/services/${SLUG}/apply/submit`, {
    draftId: hiddenValue(check.html, 'draftId'),
    actingFor: '',
  });
  expect(sent.status).toBe(303);
  const submission = await db()
    .selectFrom('submissions')
    .selectAll()
    .where('applicant_user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return (submission.answers as unknown as { values: Record<string, unknown> }).values;
}

beforeAll(async () => {
  app = await startTestApp({ HUB_ALLOW_PRIVATE_WEBHOOKS: 'true' });
  await startBody();
  dwp = (await findOrganisationBySlug(db(), 'dwp'))!.id;
  county = (await findOrganisationBySlug(db(), 'gloucestershire'))!.id;
  const set = await hubDeliverySet(db(), config, [
    '--org',
    'dwp',
    '--mode',
    'push',
    '--url',
    body.url,
    '--alert-email',
    'alerts@dwp.example.gov.uk',
  ]);
  expect(set.code).toBe(0);
  secret = set.out[0]!;
  dwpKey = (await hubKeyCreate(db(), ['--org', 'dwp', '--scope', 'receive'])).out[0]!;
  await publishType();
  const actor = { userId: null, organisationId: county, role: 'service-owner' };
  await db()
    .transaction()
    .execute(async (trx) => {
      const published = await publishForm(
        trx,
        {
          key: 'evidence-test',
          title: { en: 'Free school meals', cy: 'Prydau ysgol am ddim' },
          pages: [
            {
              id: 'about-you',
              title: { en: 'About you', cy: 'Amdanoch chi' },
              questions: [
                { type: 'text', name: 'fullName', label: { en: 'Full name', cy: 'Enw llawn' } },
                {
                  type: 'date',
                  name: 'dateOfBirth',
                  label: { en: 'Date of birth', cy: 'Dyddiad geni' },
                },
                {
                  type: 'nino',
                  name: 'nino',
                  label: { en: 'National Insurance number', cy: 'Rhif Yswiriant Gwladol' },
                },
              ],
            },
            {
              id: 'benefit',
              title: { en: 'Pension Credit', cy: 'Credyd Pensiwn' },
              questions: [
                {
                  type: 'evidence',
                  name: 'benefit',
                  label: {
                    en: 'Proof you receive Pension Credit',
                    cy: 'Prawf eich bod yn cael Credyd Pensiwn',
                  },
                  evidenceType: CODE,
                  subject: { fullName: 'fullName', dateOfBirth: 'dateOfBirth', nino: 'nino' },
                },
              ],
            },
          ],
          confirmation: {
            body: { en: 'We will write to you.', cy: 'Byddwn yn ysgrifennu atoch.' },
          },
        },
        actor,
      );
      expect(published.ok).toBe(true);
      await trx
        .insertInto('services')
        .values({
          slug: SLUG,
          organisation_id: county,
          title: 'Free school meals',
          title_cy: 'Prydau ysgol am ddim',
          summary: 'Apply for free school meals',
          summary_cy: 'Gwneud cais am brydau ysgol am ddim',
          body: 'Apply.',
          body_cy: 'Gwneud cais.',
          form_key: 'evidence-test',
          required_level: 1,
          status: 'published',
          channels: '[]',
          interactions: '[]',
          life_events: '[]',
          customer_groups: '[]',
          categories: '[]',
          business_stages: '[]',
          published_at: new Date(),
        })
        .execute();
    });
}, 120_000);

afterAll(async () => {
  await new Promise<void>((resolve) => body.server?.close(() => resolve()));
  await app?.close();
});

describe('the evidence exchange', () => {
  it('asks with consent, gets a signed answer by webhook, shows it before submit and keeps it with the application', async () => {
    body.mode = 'answer';
    body.value = true;
    const { visitor: v, userId } = await citizenAtEvidence();
    await ask(v, 'yes');
    const waiting = await v.get(`/services/${SLUG}/apply/benefit`);
    // No timed refresh (WCAG 2.2.1): a button to look again.
    expect(waiting.html).not.toContain('http-equiv="refresh"');
    expect(waiting.html).toContain('Check again');
    await drain();
    const [request] = await requestsOf(userId);
    const arrival = body.arrivals.find((a) => a.id === request!.id)!;
    expect(arrival.verified).toBe(true);
    // Minimal: the basic identity set only.
    expect(Object.keys(arrival.subject).sort()).toEqual(['dateOfBirth', 'fullName', 'nino']);
    expect(arrival.subject.nino).toBe(NINO);
    await until(async () => (await requestsOf(userId))[0]!.status === 'answered');
    const answered = (await requestsOf(userId))[0]!;
    expect(answered.signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(answered.via).toBe('webhook');
    // Shown to the person before they send it.
    const shown = await v.get(`/services/${SLUG}/apply/benefit`);
    expect(shown.html).toContain('We checked with');
    expect(shown.html).toContain('you receive Pension Credit');
    const used = await v.post(`/services/${SLUG}/apply/benefit`, { action: 'use', actingFor: '' });
    expect(used.headers.get('location')).toBe(`/services/${SLUG}/apply/check-answers`);
    const values = await submit(v, userId, 'you receive Pension Credit');
    const snapshot = values.benefit as EvidenceSnapshot;
    expect(snapshot).toMatchObject({ kind: 'evidence', requestId: request!.id, value: true });
    expect(verifyEvidenceSnapshot(config, snapshot)).toBe(true);
    expect(verifyEvidenceSnapshot(config, { ...snapshot, value: false })).toBe(false);
    // The access log: who asked, which body answered, what type — and not the answer.
    const log = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('subject_user_id', '=', userId)
      .where('action', 'in', ['evidence.request.read', 'evidence.answer.read'])
      .orderBy('id')
      .execute();
    expect(log.map((e) => [e.action, e.actor_organisation_id])).toEqual([
      ['evidence.request.read', county],
      ['evidence.answer.read', dwp],
    ]);
    expect(JSON.stringify(log.map((e) => e.details))).not.toMatch(/true|JG103759A/);
    const myData = await v.get('/account/my-data');
    expect(myData.html).toContain(
      'Asked another body to check your evidence (Receives Pension Credit)',
    );
    expect(myData.html).toContain('Answered a check of your evidence (Receives Pension Credit)');
  });

  it('retries a body that fails, then asks for evidence instead without losing the application', async () => {
    body.mode = 'fail';
    const { visitor: v, userId } = await citizenAtEvidence();
    await ask(v, 'yes');
    await drain();
    let [request] = await requestsOf(userId);
    expect(request).toMatchObject({ status: 'waiting', attempts: 1, reason: 'body-not-answering' });
    await db()
      .updateTable('outbox')
      .set({ status: 'pending', available_at: sql`now()` })
      .where('topic', '=', 'evidence.request')
      .where('status', '<>', 'done')
      .execute();
    await drain();
    [request] = await requestsOf(userId);
    expect(request!.attempts).toBe(2);
    expect(body.arrivals.filter((a) => a.id === request!.id)).toHaveLength(2);
    // The SLA passes with no answer: the person is asked to upload instead.
    await db()
      .updateTable('evidence_requests')
      .set({ due_at: new Date(Date.now() - 1000) })
      .where('id', '=', request!.id)
      .execute();
    const fallback = await v.get(`/services/${SLUG}/apply/benefit`);
    expect(fallback.html).toContain('We could not reach');
    const values = await uploadAndSubmit(v, userId);
    expect(values.fullName).toBe('Ann Example');
    expect((values.benefit as { name: string }[])[0]!.name).toBe('award-letter.pdf');
  });

  it('falls back when the body is slow past the SLA, and refuses its late answer', async () => {
    body.mode = 'slow';
    const { visitor: v, userId } = await citizenAtEvidence();
    await ask(v, 'yes');
    await drain();
    const [request] = await requestsOf(userId);
    expect(request!.status).toBe('sent');
    await new Promise((r) => setTimeout(r, 3200));
    const fallback = await v.get(`/services/${SLUG}/apply/benefit`);
    expect(fallback.html).toContain('did not answer in time');
    const late = await callBack(`${app.baseUrl}/api/v1/evidence/requests/${request!.id}/answer`, {
      value: true,
    });
    expect(late.status).toBe(409);
    const values = await uploadAndSubmit(v, userId);
    expect(Array.isArray(values.benefit)).toBe(true);
  }, 20_000);

  it('refuses an answer whose signature does not verify', async () => {
    body.mode = 'slow';
    const { visitor: v, userId } = await citizenAtEvidence();
    await ask(v, 'yes');
    await drain();
    const [request] = await requestsOf(userId);
    const url = `${app.baseUrl}/api/v1/evidence/requests/${request!.id}/answer`;
    const forged = await callBack(url, { value: true }, sign(canonicalJson({ value: false })));
    expect(forged.status).toBe(401);
    expect((await requestsOf(userId))[0]!.status).toBe('sent');
  });

  it('sends nothing for a type with no legal basis, in the service layer and the journey', async () => {
    body.mode = 'answer';
    await publishType({ legalBasis: '', legalBasisReference: '' });
    const arrivals = body.arrivals.length;
    const { visitor: v, userId } = await citizenAtEvidence();
    await ask(v, 'yes');
    await drain();
    const [request] = await requestsOf(userId);
    expect(request).toMatchObject({ status: 'not-sent', reason: 'no-legal-basis' });
    const direct = await db()
      .transaction()
      .execute((trx) =>
        askForEvidence(
          trx,
          {
            evidenceType: CODE,
            requestingOrganisationId: county,
            userId,
            journeyKey: 'direct',
            subject: { fullName: 'Ann Example', dateOfBirth: '1950-05-04', nino: NINO },
            consent: true,
          },
          { userId: null, organisationId: county, role: 'system' },
        ),
      );
    expect(direct).toMatchObject({ ok: false, code: 'no-legal-basis' });
    const queued = await db()
      .selectFrom('outbox')
      .select('id')
      .where('topic', '=', 'evidence.request')
      .where(sql<boolean>`payload->>'requestId' = ${request!.id}`)
      .execute();
    expect(queued).toHaveLength(0);
    expect(body.arrivals.length).toBe(arrivals);
    expect((await v.get(`/services/${SLUG}/apply/benefit`)).html).toContain(
      'enctype="multipart/form-data"',
    );
    await publishType();
  });

  it('sends nothing when consent is refused or withdrawn before sending', async () => {
    body.mode = 'answer';
    const arrivals = body.arrivals.length;
    const refused = await citizenAtEvidence();
    await ask(refused.visitor, 'no');
    expect((await requestsOf(refused.userId))[0]).toMatchObject({
      status: 'not-sent',
      reason: 'no-consent',
    });
    const withdrawn = await citizenAtEvidence();
    await ask(withdrawn.visitor, 'yes');
    await withdrawn.visitor.get(`/services/${SLUG}/apply/benefit`);
    const stop = await withdrawn.visitor.post(`/services/${SLUG}/apply/benefit`, {
      action: 'withdraw',
      actingFor: '',
    });
    expect(stop.status).toBe(303);
    await drain();
    expect((await requestsOf(withdrawn.userId))[0]).toMatchObject({
      status: 'not-sent',
      reason: 'consent-withdrawn',
    });
    expect(body.arrivals.length).toBe(arrivals);
    const page = await withdrawn.visitor.get(`/services/${SLUG}/apply/benefit`);
    expect(page.html).toContain('You stopped the check');
  });

  it('answers from the table the body keeps through the API', async () => {
    await publishType({ answeredBy: 'table', webhookUrl: undefined });
    const api = (method: string, path: string, payload?: unknown) =>
      fetch(app.baseUrl + path, {
        method,
        headers: {
          authorization: `Bearer ${dwpKey}`,
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: payload === undefined ? undefined : JSON.stringify(payload),
      });
    const bad = await api('PUT', `/api/v1/evidence/types/${CODE}/rows`, {
      rows: [{ subject: 'not a nino', value: true }],
    });
    expect(bad.status).toBe(400);
    const put = await api('PUT', `/api/v1/evidence/types/${CODE}/rows`, {
      rows: [{ subject: 'jg 10 37 59 a', value: 'no' }],
    });
    expect(await put.json()).toEqual({ code: CODE, rows: 1 });
    const { visitor: v, userId } = await citizenAtEvidence();
    await ask(v, 'yes');
    await drain();
    expect((await requestsOf(userId))[0]).toMatchObject({ status: 'answered', via: 'table' });
    expect((await v.get(`/services/${SLUG}/apply/benefit`)).html).toContain(
      'you do not receive Pension Credit',
    );
    const gone = await api('DELETE', `/api/v1/evidence/types/${CODE}/rows/${NINO}`);
    expect(await gone.json()).toEqual({ deleted: true });
  });

  it('lets a pull body collect its queue and answer with its receive key', async () => {
    await publishType({ answeredBy: 'pull', webhookUrl: undefined });
    const { visitor: v, userId } = await citizenAtEvidence();
    await ask(v, 'yes');
    await drain();
    const [request] = await requestsOf(userId);
    const queue = await fetch(`${app.baseUrl}/api/v1/evidence/requests`, {
      headers: { authorization: `Bearer ${dwpKey}` },
    });
    const listed = (await queue.json()) as { requests: { id: string; subject: unknown }[] };
    expect(listed.requests.map((r) => r.id)).toContain(request!.id);
    const answered = await fetch(`${app.baseUrl}/api/v1/evidence/requests/${request!.id}/answer`, {
      method: 'POST',
      headers: { authorization: `Bearer ${dwpKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ value: true }),
    });
    expect(answered.status).toBe(200);
    expect((await v.get(`/services/${SLUG}/apply/benefit`)).html).toContain(
      'you receive Pension Credit',
    );
    await publishType();
  });
});
