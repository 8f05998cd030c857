import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfToken, startTestApp, Visitor, type TestApp } from '../../../../test/helpers/app.js';
import { aSignedInCitizen } from '../../../../test/helpers/citizens.js';
import { letterFile, LETTER_TOPIC } from '../../../platform/letters/letters.js';
import { pdfTextLines } from '../../../platform/letters/pdf.js';
import {
  activeBusinessEnrolments,
  activeEnrolments,
  DEMO_BUSINESS_RATES,
  DEMO_TRADE_WASTE,
} from '../index.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const db = () => app.platform.database.db;
const PASSWORD = 'a long enough password';

/** A new citizen with a confirmed e-mail address, signed in, and their id. */
async function person(email: string): Promise<{ id: string; visitor: Visitor }> {
  const made = await aSignedInCitizen(app, {
    email,
    password: PASSWORD,
    displayName: email.split('@')[0]!,
  });
  return { id: made.userId, visitor: made.visitor };
}

/** A business account made through its page by `owner` (its first administrator). */
async function aBusiness(owner: Visitor, name: string): Promise<string> {
  await owner.get('/business/new');
  const created = await owner.post('/business/new', {
    name,
    type: 'business',
    companiesHouseNumber: '',
    charityNumber: '',
  });
  const id = /^\/business\/([0-9a-f-]{36})$/.exec(created.headers.get('location') ?? '')?.[1];
  expect(id).toBeDefined();
  return id!;
}

/** Adds a member directly: joining by invitation is the agents module's own test. */
async function addMember(businessId: string, userId: string, role: 'administrator' | 'assistant') {
  await db()
    .insertInto('business_members')
    .values({ business_id: businessId, user_id: userId, role })
    .execute();
}

/** Posts every queued letter, then reads the newest one addressed to `name` from the post room. */
async function latestLetterTo(name: string) {
  await app.platform.worker.drain();
  const letters = await db()
    .selectFrom('outbox')
    .select(['idempotency_key', 'payload', 'status'])
    .where('topic', '=', LETTER_TOPIC)
    .orderBy('id', 'desc')
    .execute();
  const letter = letters.find((l) => (l.payload.to as { name: string }).name === name);
  if (!letter) throw new Error(`No letter to ${name}`);
  expect(letter.status).toBe('done');
  const lines = pdfTextLines(
    await readFile(letterFile({ DATA_DIR: ':memory:' }, letter.idempotency_key)),
  );
  const code = /^Activation code: (\d{8})$/.exec(
    lines.find((l) => l.startsWith('Activation code')) ?? '',
  )?.[1];
  return { lines, code: code!, to: letter.payload.to, count: letters.length };
}

async function audit(action: string, resourceId: string) {
  return db()
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .where('resource_id', '=', resourceId)
    .orderBy('id')
    .execute();
}

async function enrolments(businessId: string) {
  return db()
    .selectFrom('enrolments')
    .selectAll()
    .where('business_account_id', '=', businessId)
    .execute();
}

describe('a business enrolling into a service, end to end', () => {
  it('an administrator asks, the letter goes to the registered business address, another administrator activates, and every member sees it', async () => {
    const owner = await person('owner@five-valleys.example.com');
    const partner = await person('partner@five-valleys.example.com');
    const assistant = await person('assistant@five-valleys.example.com');
    const businessId = await aBusiness(owner.visitor, 'Five Valleys Bakery');
    await addMember(businessId, partner.id, 'administrator');
    await addMember(businessId, assistant.id, 'assistant');
    const business = `?business=${businessId}`;
    const RATES = `/enrol/stroud/business-rates${business}`;

    // The business page and the person's own services page lead to the business's services.
    expect((await owner.visitor.get(`/business/${businessId}`)).html).toContain(
      `href="/enrol?business=${businessId}"`,
    );
    expect((await owner.visitor.get('/enrol')).html).toContain(
      `href="/enrol?business=${businessId}"`,
    );
    const list = await owner.visitor.get(`/enrol${business}`);
    expect(list.status).toBe(200);
    expect(list.html).toContain('Services for Five Valleys Bakery');
    expect(list.html).toContain('No services have been linked to this business account yet');
    expect(list.html).toContain(`href="/enrol/stroud/business-rates?business=${businessId}"`);
    expect(list.html).toContain(`href="/enrol/stroud/trade-waste?business=${businessId}"`);
    expect(list.html).not.toContain('/enrol/stroud/council-tax');

    await owner.visitor.get(RATES);
    const asked = await owner.visitor.post(RATES, {
      reference: DEMO_BUSINESS_RATES.reference.toLowerCase(),
      postcode: 'gl51aa',
    });
    expect(asked.status).toBe(303);
    const enrolmentId = /^\/enrol\/enrolments\/([0-9a-f-]{36})\/letter-sent$/.exec(
      asked.headers.get('location') ?? '',
    )?.[1];
    expect(enrolmentId).toBeDefined();
    const id = enrolmentId!;
    const sent = await owner.visitor.get(`/enrol/enrolments/${id}/letter-sent`);
    expect(sent.html).toContain('We have posted an activation code to the business');
    expect(sent.html).toContain('Any administrator of Five Valleys Bakery can enter the code');

    // The letter goes to the name and address in the register, and says which business asked.
    const letter = await latestLetterTo(DEMO_BUSINESS_RATES.holderName);
    expect(letter.to).toEqual({
      name: 'Five Valleys Bakery Ltd',
      lines: ['12 Kendrick Street', 'Stroud', 'GL5 1AA'],
    });
    const text = letter.lines.join(' ');
    expect(text).toContain('to the business account "Five Valleys Bakery"');
    expect(text).toContain('an administrator of that business account');
    expect(text).toContain('cyfrif busnes "Five Valleys Bakery"');
    expect(letter.code).toMatch(/^\d{8}$/);

    const [row] = await enrolments(businessId);
    expect(row).toEqual(
      expect.objectContaining({
        id,
        user_id: owner.id,
        status: 'pending',
        business_account_id: businessId,
      }),
    );
    expect(await audit('enrolment.requested', id)).toEqual([
      expect.objectContaining({
        actor_user_id: owner.id,
        subject_user_id: owner.id,
        actor_role: 'administrator',
        details: expect.objectContaining({
          business_account_id: businessId,
          service: 'business-rates',
          reference: DEMO_BUSINESS_RATES.reference,
        }),
      }),
    ]);
    // The enrolment is the business's, not the person's who asked.
    expect((await owner.visitor.get('/enrol')).html).not.toContain(DEMO_BUSINESS_RATES.reference);
    expect(await activeBusinessEnrolments(db(), businessId)).toEqual([]);

    // Another administrator enters the code.
    const activate = await partner.visitor.get(
      `/enrol/activate?business=${businessId}&enrolment=${id}`,
    );
    expect(activate.status).toBe(200);
    expect(activate.html).toContain(`action="/enrol/activate?business=${businessId}"`);
    const activated = await partner.visitor.post(`/enrol/activate${business}`, {
      enrolment: id,
      code: letter.code,
    });
    expect(activated.status).toBe(303);
    expect(activated.headers.get('location')).toBe(`/enrol/enrolments/${id}/activated`);
    const done = await partner.visitor.get(`/enrol/enrolments/${id}/activated`);
    expect(done.html).toContain('Service added to the business account');
    expect(done.html).toContain('now linked to the business account Five Valleys Bakery');
    expect(await audit('enrolment.activated', id)).toEqual([
      expect.objectContaining({
        actor_user_id: partner.id,
        subject_user_id: owner.id,
        details: { business_account_id: businessId },
      }),
    ]);
    expect(await activeBusinessEnrolments(db(), businessId)).toEqual([
      expect.objectContaining({
        id,
        businessAccountId: businessId,
        service: 'business-rates',
        reference: DEMO_BUSINESS_RATES.reference,
        organisationName: 'Stroud District Council',
      }),
    ]);
    expect(await activeEnrolments(db(), owner.id)).toEqual([]);
    expect(await activeEnrolments(db(), partner.id)).toEqual([]);

    // The assistant sees it, with nothing to change.
    const seen = await assistant.visitor.get(`/enrol${business}`);
    expect(seen.status).toBe(200);
    expect(seen.html).toContain(DEMO_BUSINESS_RATES.reference);
    expect(seen.html).toContain('Active');
    expect(seen.html).toContain('Only an administrator of Five Valleys Bakery can add services');
    expect(seen.html).not.toContain(`/enrol/enrolments/${id}/remove`);
    expect(seen.html).not.toContain('/enrol/stroud/');

    // Asking again for a record the business already holds says so.
    await owner.visitor.get(RATES);
    const again = await owner.visitor.post(RATES, {
      reference: DEMO_BUSINESS_RATES.reference,
      postcode: DEMO_BUSINESS_RATES.postcode,
    });
    expect(again.status).toBe(400);
    expect(again.html).toContain('already linked to the business account');

    // Either administrator may remove it; the list says so.
    const confirm = await partner.visitor.get(`/enrol/enrolments/${id}/remove`);
    expect(confirm.html).toContain(
      'Are you sure you want to remove the Business rates account from Five Valleys Bakery?',
    );
    const removed = await partner.visitor.post(`/enrol/enrolments/${id}/remove`, {});
    expect(removed.status).toBe(303);
    expect(removed.headers.get('location')).toBe(`/enrol?removed=1&business=${businessId}`);
    expect(await enrolments(businessId)).toEqual([]);
    expect(await audit('enrolment.removed', id)).toEqual([
      expect.objectContaining({
        actor_user_id: partner.id,
        subject_user_id: owner.id,
        details: expect.objectContaining({ business_account_id: businessId, status: 'active' }),
      }),
    ]);
  });

  it('enrols a business into trade waste, which a person cannot enrol into for themself', async () => {
    const owner = await person('owner@trade-waste.example.com');
    const businessId = await aBusiness(owner.visitor, 'Kendrick Street Bakery');
    const path = `/enrol/stroud/trade-waste?business=${businessId}`;
    const form = await owner.visitor.get(path);
    expect(form.html).toContain('Trade waste account number');
    const wrongShape = await owner.visitor.post(path, {
      reference: 'BR4002718',
      postcode: 'GL5 1AA',
    });
    expect(wrongShape.status).toBe(400);
    expect(wrongShape.html).toContain(
      'Trade waste account number must be TW followed by 6 numbers',
    );
    const asked = await owner.visitor.post(path, {
      reference: DEMO_TRADE_WASTE.reference,
      postcode: DEMO_TRADE_WASTE.postcode,
    });
    expect(asked.status).toBe(303);
    const letter = await latestLetterTo(DEMO_TRADE_WASTE.holderName);
    expect(letter.lines.join(' ')).toContain(`trade waste account ${DEMO_TRADE_WASTE.reference}`);
    const [pending] = await enrolments(businessId);
    await owner.visitor.get(`/enrol/activate?business=${businessId}`);
    const activated = await owner.visitor.post(`/enrol/activate?business=${businessId}`, {
      enrolment: pending!.id,
      code: letter.code,
    });
    expect(activated.status).toBe(303);
    expect(await activeBusinessEnrolments(db(), businessId)).toEqual([
      expect.objectContaining({ service: 'trade-waste', reference: DEMO_TRADE_WASTE.reference }),
    ]);

    // Trade waste is a business's: not offered to a person, and not found if asked for.
    expect((await owner.visitor.get('/enrol')).html).not.toContain('/enrol/stroud/trade-waste"');
    expect((await owner.visitor.get('/enrol/stroud/trade-waste')).status).toBe(404);
    // Council tax is a person's: not found for a business.
    expect(
      (await owner.visitor.get(`/enrol/stroud/council-tax?business=${businessId}`)).status,
    ).toBe(404);
  });
});

describe('who may enrol a business', () => {
  it('gives 404 to someone who is not a member, and makes no enrolment', async () => {
    const owner = await person('owner@closed.example.com');
    const businessId = await aBusiness(owner.visitor, 'Closed Shop Ltd');
    await owner.visitor.get(`/enrol/stroud/business-rates?business=${businessId}`);
    const asked = await owner.visitor.post(`/enrol/stroud/business-rates?business=${businessId}`, {
      reference: DEMO_BUSINESS_RATES.reference,
      postcode: DEMO_BUSINESS_RATES.postcode,
    });
    const id = /enrolments\/([0-9a-f-]{36})\//.exec(asked.headers.get('location') ?? '')![1]!;
    const { code } = await latestLetterTo(DEMO_BUSINESS_RATES.holderName);

    const stranger = await person('stranger@elsewhere.example.com');
    const token = csrfToken((await stranger.visitor.get('/enrol')).html);
    expect((await stranger.visitor.get(`/enrol?business=${businessId}`)).status).toBe(404);
    expect((await stranger.visitor.get('/enrol?business=not-a-uuid')).status).toBe(404);
    expect(
      (await stranger.visitor.get(`/enrol/stroud/business-rates?business=${businessId}`)).status,
    ).toBe(404);
    const post = await stranger.visitor.post(
      `/enrol/stroud/business-rates?business=${businessId}`,
      { reference: DEMO_BUSINESS_RATES.reference, postcode: DEMO_BUSINESS_RATES.postcode },
      token,
    );
    expect(post.status).toBe(404);
    expect((await stranger.visitor.get(`/enrol/enrolments/${id}/letter-sent`)).status).toBe(404);
    expect((await stranger.visitor.get(`/enrol/enrolments/${id}/remove`)).status).toBe(404);
    expect((await stranger.visitor.get(`/enrol/activate?business=${businessId}`)).status).toBe(404);
    // Even with the code from the letter, a stranger cannot activate the business's enrolment.
    const taken = await stranger.visitor.post('/enrol/activate', { enrolment: id, code }, token);
    expect(taken.status).toBe(400);
    expect((await stranger.visitor.post(`/enrol/enrolments/${id}/remove`, {}, token)).status).toBe(
      404,
    );
    expect(await enrolments(businessId)).toEqual([
      expect.objectContaining({ id, status: 'pending', user_id: owner.id }),
    ]);
    expect(
      await db().selectFrom('enrolments').selectAll().where('user_id', '=', stranger.id).execute(),
    ).toEqual([]);
  });

  it('lets an assistant look but not enrol, activate or remove', async () => {
    const owner = await person('owner@helpers.example.com');
    const assistant = await person('assistant@helpers.example.com');
    const businessId = await aBusiness(owner.visitor, 'Helpers Ltd');
    await addMember(businessId, assistant.id, 'assistant');
    await owner.visitor.get(`/enrol/stroud/business-rates?business=${businessId}`);
    const asked = await owner.visitor.post(`/enrol/stroud/business-rates?business=${businessId}`, {
      reference: DEMO_BUSINESS_RATES.reference,
      postcode: DEMO_BUSINESS_RATES.postcode,
    });
    const id = /enrolments\/([0-9a-f-]{36})\//.exec(asked.headers.get('location') ?? '')![1]!;
    const { code } = await latestLetterTo(DEMO_BUSINESS_RATES.holderName);

    const list = await assistant.visitor.get(`/enrol?business=${businessId}`);
    expect(list.status).toBe(200);
    expect(list.html).toContain('Waiting for activation code');
    expect(list.html).not.toContain('Enter activation code');
    const token = csrfToken(list.html);
    // The letter-sent page is visible to every member, without the link to enter the code.
    const sent = await assistant.visitor.get(`/enrol/enrolments/${id}/letter-sent`);
    expect(sent.status).toBe(200);
    expect(sent.html).not.toContain('/enrol/activate');

    expect(
      (await assistant.visitor.get(`/enrol/stroud/trade-waste?business=${businessId}`)).status,
    ).toBe(404);
    const enrol = await assistant.visitor.post(
      `/enrol/stroud/trade-waste?business=${businessId}`,
      { reference: DEMO_TRADE_WASTE.reference, postcode: DEMO_TRADE_WASTE.postcode },
      token,
    );
    expect(enrol.status).toBe(404);
    expect((await assistant.visitor.get(`/enrol/activate?business=${businessId}`)).status).toBe(
      404,
    );
    const activate = await assistant.visitor.post(
      '/enrol/activate',
      { enrolment: id, code },
      token,
    );
    expect(activate.status).toBe(400);
    expect((await assistant.visitor.get(`/enrol/enrolments/${id}/remove`)).status).toBe(404);
    expect((await assistant.visitor.post(`/enrol/enrolments/${id}/remove`, {}, token)).status).toBe(
      404,
    );
    expect(await enrolments(businessId)).toEqual([
      // Only the administrator's: the assistant's trade waste request made nothing.
      expect.objectContaining({ id, status: 'pending' }),
    ]);
    expect(await audit('enrolment.activated', id)).toEqual([]);

    // The code was not spent by the assistant's try: the administrator can still use it.
    await owner.visitor.get(`/enrol/activate?business=${businessId}`);
    const byOwner = await owner.visitor.post(`/enrol/activate?business=${businessId}`, {
      enrolment: id,
      code,
    });
    expect(byOwner.status).toBe(303);
  });

  it('shows a business’s services in Welsh', async () => {
    const owner = await person('owner@cymraeg.example.com');
    const businessId = await aBusiness(owner.visitor, 'Becws Cymraeg');
    const list = await owner.visitor.get(`/enrol?business=${businessId}&lang=cy`);
    expect(list.html).toContain('Gwasanaethau busnes');
    expect(list.html).toContain('Cyfrif gwastraff masnachol');
  });
});
