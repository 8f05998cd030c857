import { sql } from 'kysely';
import { NotifyClient } from 'notifications-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { revokeApiKey } from '../commands/services.js';
import { addTemplate, call, issueKey, tokenFor } from '../test/helpers.js';

let app: TestApp;
let liveKey: string;
let emailTemplate: string;
let smsTemplate: string;

const db = () => app.platform.database.db;

beforeAll(async () => {
  app = await startTestApp();
  liveKey = await issueKey(db(), 'stroud', 'live');
  emailTemplate = await addTemplate(
    db(),
    'stroud',
    'email',
    'Hello',
    'Dear ((name)), ((thing))',
    'Hi ((name))',
  );
  smsTemplate = await addTemplate(db(), 'stroud', 'sms', 'Text', 'Hello ((name))');
});
afterAll(async () => {
  await app?.close();
});

/** What the official client rejects with: axios's error response. */
async function failure(promise: Promise<unknown>): Promise<{ status: number; data: unknown }> {
  try {
    await promise;
  } catch (error) {
    const { response } = error as { response: { status: number; data: unknown } };
    return { status: response.status, data: response.data };
  }
  throw new Error('expected the request to fail');
}

const envelope = (status: number, error: string, message: string) => ({
  status_code: status,
  errors: [{ error, message }],
});

describe('bad input gets Notify’s errors', () => {
  it('names the missing personalisation', async () => {
    const client = new NotifyClient(app.baseUrl, liveKey);
    expect(
      await failure(
        client.sendEmail(emailTemplate, 'a@example.com', { personalisation: { name: 'Sam' } }),
      ),
    ).toEqual({
      status: 400,
      data: envelope(400, 'BadRequestError', 'Missing personalisation: thing'),
    });
    expect(await failure(client.sendEmail(emailTemplate, 'a@example.com'))).toEqual({
      status: 400,
      data: envelope(400, 'BadRequestError', 'Missing personalisation: name, thing'),
    });
    expect(await failure(client.previewTemplateById(emailTemplate, {}))).toMatchObject({
      status: 400,
    });
  });

  it('refuses a template of the wrong type, or one that does not exist', async () => {
    const client = new NotifyClient(app.baseUrl, liveKey);
    expect(
      await failure(
        client.sendEmail(smsTemplate, 'a@example.com', { personalisation: { name: 'S' } }),
      ),
    ).toEqual({
      status: 400,
      data: envelope(400, 'BadRequestError', 'sms template is not suitable for email notification'),
    });
    expect(
      await failure(client.sendSms('8b1f0a49-7d0e-4d84-9a40-5a4f8d0e8f11', '07700900123')),
    ).toEqual({
      status: 400,
      data: envelope(400, 'BadRequestError', 'Template not found'),
    });
    expect(await failure(client.getTemplateById('8b1f0a49-7d0e-4d84-9a40-5a4f8d0e8f11'))).toEqual({
      status: 404,
      data: envelope(404, 'NoResultFound', 'No result found'),
    });
  });

  it('refuses an invalid e-mail address and invalid UK mobile numbers', async () => {
    const client = new NotifyClient(app.baseUrl, liveKey);
    expect(
      await failure(
        client.sendEmail(emailTemplate, 'not-an-email', {
          personalisation: { name: 'S', thing: 'x' },
        }),
      ),
    ).toEqual({
      status: 400,
      data: envelope(400, 'ValidationError', 'email_address Not a valid email address'),
    });
    for (const [number, reason] of [
      ['08515111111', 'Not a UK mobile number'],
      ['07515111*11', 'Must not contain letters or symbols'],
      ['0770090012345', 'Too many digits'],
      ['0770090', 'Not enough digits'],
    ]) {
      expect(
        await failure(client.sendSms(smsTemplate, number!, { personalisation: { name: 'S' } })),
      ).toEqual({
        status: 400,
        data: envelope(400, 'ValidationError', `phone_number ${reason}`),
      });
    }
  });

  it('refuses a letter without a real address, and a precompiled letter that is not a PDF', async () => {
    const letter = await addTemplate(db(), 'stroud', 'letter', 'L', 'Body', 'Heading');
    const client = new NotifyClient(app.baseUrl, liveKey);
    expect(
      await failure(
        client.sendLetter(letter, {
          personalisation: { address_line_1: 'A', address_line_2: 'B' },
        }),
      ),
    ).toEqual({
      status: 400,
      data: envelope(400, 'ValidationError', 'Address must be at least 3 lines'),
    });
    expect(
      await failure(
        client.sendLetter(letter, {
          personalisation: { address_line_1: 'A', address_line_2: 'B', address_line_3: 'Nowhere' },
        }),
      ),
    ).toEqual({
      status: 400,
      data: envelope(400, 'ValidationError', 'Must be a real UK postcode'),
    });
    expect(await failure(client.sendPrecompiledLetter('r', 'just some text'))).toEqual({
      status: 400,
      data: envelope(400, 'BadRequestError', 'Letter content is not a valid PDF'),
    });
  });

  it('reports schema problems together, as Notify does', async () => {
    const { status, json } = await call(app.baseUrl, '/v2/notifications/email', {
      token: tokenFor(liveKey),
      body: { template_id: 'nope', personalisation: 'x' },
    });
    expect(status).toBe(400);
    expect(json.errors).toEqual([
      { error: 'ValidationError', message: 'template_id is not a valid UUID' },
      { error: 'ValidationError', message: 'email_address is a required property' },
      { error: 'ValidationError', message: "personalisation 'x' is not of type object" },
    ]);
    const broken = await fetch(`${app.baseUrl}/v2/notifications/email`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokenFor(liveKey)}`, 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual(
      envelope(400, 'BadRequestError', 'Invalid JSON supplied in POST data'),
    );
  });
});

describe('authentication is Notify’s', () => {
  it('answers 401 without an Authorization header', async () => {
    const { status, json } = await call(app.baseUrl, '/v2/templates');
    expect(status).toBe(401);
    expect(json).toEqual(
      envelope(401, 'AuthError', 'Unauthorized: authentication token must be provided'),
    );
  });

  it('refuses a token whose iat is 31 seconds off, either way, and accepts one 29 seconds off', async () => {
    const now = Math.round(Date.now() / 1000);
    for (const iat of [now - 31, now + 31]) {
      const { status, json } = await call(app.baseUrl, '/v2/templates', {
        token: tokenFor(liveKey, iat),
      });
      expect(status).toBe(403);
      expect(json).toEqual(
        envelope(
          403,
          'AuthError',
          'Error: Your system clock must be accurate to within 30 seconds',
        ),
      );
    }
    expect(
      (await call(app.baseUrl, '/v2/templates', { token: tokenFor(liveKey, now - 29) })).status,
    ).toBe(200);
  });

  it('refuses a revoked key', async () => {
    const key = await issueKey(db(), 'stroud', 'live', 'Old system');
    const client = new NotifyClient(app.baseUrl, key);
    expect((await client.getAllTemplates()).status).toBe(200);
    const row = await db()
      .selectFrom('notify_api_keys')
      .innerJoin('notify_services', 'notify_services.id', 'notify_api_keys.service_id')
      .select(['notify_api_keys.id', 'notify_services.organisation_id'])
      .where('notify_api_keys.name', '=', 'Old system')
      .executeTakeFirstOrThrow();
    expect(
      await revokeApiKey(
        db(),
        { organisationId: row.organisation_id, keyId: row.id },
        {
          userId: null,
          organisationId: row.organisation_id,
          role: 'test',
        },
      ),
    ).toBe(true);
    expect(await failure(client.getAllTemplates())).toEqual({
      status: 403,
      data: envelope(403, 'AuthError', 'Invalid token: API key revoked'),
    });
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('resource_id', '=', row.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'notify.api-key.created',
      'notify.api-key.revoked',
    ]);
  });

  it('refuses another service’s key, and never shows one service another’s notifications or templates', async () => {
    const bristolKey = await issueKey(db(), 'bristol', 'live');
    const stroudServiceId = liveKey.slice(-73, -37);
    // Bristol's secret presented as Stroud's service.
    const forged = tokenFor(bristolKey, undefined, stroudServiceId);
    const { status, json } = await call(app.baseUrl, '/v2/templates', { token: forged });
    expect(status).toBe(403);
    expect(json).toEqual(envelope(403, 'AuthError', 'Invalid token: API key not found'));

    const stroud = new NotifyClient(app.baseUrl, liveKey);
    const sent = await stroud.sendSms(smsTemplate, '07700900123', {
      personalisation: { name: 'S' },
    });
    const bristol = new NotifyClient(app.baseUrl, bristolKey);
    expect((await failure(bristol.getNotificationById(sent.data.id))).status).toBe(404);
    expect((await failure(bristol.getTemplateById(smsTemplate))).status).toBe(404);
    expect(
      await failure(
        bristol.sendSms(smsTemplate, '07700900123', { personalisation: { name: 'S' } }),
      ),
    ).toMatchObject({
      data: envelope(400, 'BadRequestError', 'Template not found'),
    });
    expect((await bristol.getNotifications()).data.notifications).toEqual([]);
  });

  it('refuses a service that does not exist', async () => {
    const { json } = await call(app.baseUrl, '/v2/templates', {
      token: tokenFor(liveKey, undefined, '0d1c6c55-0000-4000-8000-000000000000'),
    });
    expect(json).toEqual(envelope(403, 'AuthError', 'Invalid token: service not found'));
  });
});

describe('limits', () => {
  it('answers 429 RateLimitError over the per-minute limit of the service and key type', async () => {
    const key = await issueKey(db(), 'cheltenham', 'live');
    const serviceId = key.slice(-73, -37);
    await db()
      .updateTable('notify_services')
      .set({ rate_limit: 2 })
      .where('id', '=', serviceId)
      .execute();
    const template = await addTemplate(db(), 'cheltenham', 'sms', 'T', 'Hi');
    const client = new NotifyClient(app.baseUrl, key);
    await client.sendSms(template, '07700900001');
    await client.sendSms(template, '07700900002');
    expect(await failure(client.sendSms(template, '07700900003'))).toEqual({
      status: 429,
      data: envelope(
        429,
        'RateLimitError',
        'Exceeded rate limit for key type LIVE of 2 requests per 60 seconds',
      ),
    });
    // Reading is not sending: it is not limited.
    expect((await client.getNotifications()).data.notifications).toHaveLength(2);
  });

  it('answers 429 TooManyRequestsError over the daily message limit, which test keys do not count', async () => {
    const key = await issueKey(db(), 'cardiff', 'live');
    const serviceId = key.slice(-73, -37);
    await db()
      .updateTable('notify_services')
      .set({ message_limit: 1 })
      .where('id', '=', serviceId)
      .execute();
    const template = await addTemplate(db(), 'cardiff', 'sms', 'T', 'Hi');
    const client = new NotifyClient(app.baseUrl, key);
    await client.sendSms(template, '07700900001');
    expect(await failure(client.sendSms(template, '07700900002'))).toEqual({
      status: 429,
      data: envelope(429, 'TooManyRequestsError', 'Exceeded send limits (1) for today'),
    });
    const test = new NotifyClient(app.baseUrl, await issueKey(db(), 'cardiff', 'test'));
    expect((await test.sendSms(template, '07700900002')).status).toBe(201);
    // The refused one was not stored.
    expect((await client.getNotifications()).data.notifications).toHaveLength(1);
  });
});

describe('paging', () => {
  it('pages 250 at a time and follows links.next with older_than to the end', async () => {
    const key = await issueKey(db(), 'gloucestershire', 'live');
    const serviceId = key.slice(-73, -37);
    const template = await addTemplate(db(), 'gloucestershire', 'sms', 'T', 'Hi');
    await sql`
      insert into notify_notifications (id, service_id, key_type, type, template_id, template_version, recipient, body, status, created_at)
      select gen_random_uuid(), ${serviceId}, 'normal', 'sms', ${template}, 1, '07700900123', 'Hi', 'delivered',
             now() - (n * interval '1 microsecond')
      from generate_series(1, 251) as n`.execute(db());
    const client = new NotifyClient(app.baseUrl, key);
    const first = await client.getNotifications();
    expect(first.data.notifications).toHaveLength(250);
    const next = new URL(first.data.links.next);
    const second = await client.getNotifications(
      undefined,
      undefined,
      undefined,
      next.searchParams.get('older_than')!,
    );
    expect(second.data.notifications).toHaveLength(1);
    const seen = new Set(
      [...first.data.notifications, ...second.data.notifications].map((n) => n.id),
    );
    expect(seen.size).toBe(251);
  });
});
