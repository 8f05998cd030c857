import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { loadConfig } from '../../../platform/config/config.js';
import { findOrganisationBySlug } from '../../organisations/index.js';
import { createPayKey } from '../keys.js';
import { payWebhookCreate } from './cli.js';
import { confirmPayment, openPaymentPage, submitCard } from './card.js';
import { sandboxGateway } from '../gateway/gateway.js';
import {
  legacyWebhookSecret,
  paySignature,
  sealLegacyWebhookSecrets,
  WEBHOOK_TOPIC,
  webhookHandler,
  webhookSigningSecret,
} from './webhooks.js';
import { secretsRotateCheck } from '../../../main/secrets.js';
import { nextUrlToken } from './payments.js';

const SECRET = 'payments-webhook-test-secret-0123456789abcdef';
let app: TestApp;
let receiver: Server;
let receiverUrl: string;
let answerWith = 200;
const received: { headers: Record<string, unknown>; body: string }[] = [];
const db = () => app.platform.database.db;
const config = loadConfig({ SESSION_SECRET: SECRET });

beforeAll(async () => {
  app = await startTestApp({ SESSION_SECRET: SECRET });
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(answerWith).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address();
  receiverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/pay-events`;
});
afterAll(async () => {
  receiver?.close();
  await app?.close();
});

/** Sends every queued webhook message, as the outbox worker would. */
async function deliverWebhooks(): Promise<void> {
  const handler = webhookHandler(config);
  const messages = await db()
    .selectFrom('outbox')
    .selectAll()
    .where('topic', '=', WEBHOOK_TOPIC)
    .where('status', '=', 'pending')
    .execute();
  for (const message of messages) {
    await handler(message.payload as Record<string, unknown>, {
      db: db(),
      idempotencyKey: message.idempotency_key,
      attempt: 1,
      logger: app.platform.logger,
    });
    await db().updateTable('outbox').set({ status: 'done' }).where('id', '=', message.id).execute();
  }
}

describe('payment webhooks', () => {
  it('sends a body’s payment events signed with Pay-Signature, the HMAC-SHA256 of the body', async () => {
    const created = await payWebhookCreate(db(), config, ['--org', 'stroud', '--url', receiverUrl]);
    expect(created.code).toBe(0);
    const signingSecret = created.out[0]!;
    const organisationId = (await findOrganisationBySlug(db(), 'stroud'))!.id;
    const { key } = await createPayKey(
      db(),
      { organisationId, name: 'hooks' },
      { userId: null, organisationId, role: 'test' },
    );
    const response = await fetch(`${app.baseUrl}/v1/payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        amount: 1200,
        description: 'Garden waste',
        reference: 'GW-1',
        return_url: 'https://example.gov.uk/r',
      }),
    });
    const payment = (await response.json()) as {
      payment_id: string;
      _links: { next_url: { href: string } };
    };
    const token = new URL(payment._links.next_url.href).pathname.split('/').pop()!;
    const opened = await db()
      .transaction()
      .execute((trx) => openPaymentPage(trx, SECRET, token));
    if (!opened.ok) throw new Error('not opened');
    await submitCard(db(), sandboxGateway, opened.payment.id, {
      number: '4444333322221111',
      expiry: '12/39',
      cvc: '123',
      cardholderName: 'A B',
    });
    await db()
      .transaction()
      .execute((trx) => confirmPayment(trx, opened.payment.id));
    await deliverWebhooks();

    const events = received.map((r) => JSON.parse(r.body) as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON the test reads
    expect(events.map((e) => e.event_type)).toEqual([
      'card_payment_started',
      'card_payment_succeeded',
    ]);
    const succeeded = received[1]!;
    expect(succeeded.headers['pay-signature']).toBe(paySignature(signingSecret, succeeded.body));
    expect(events[1]).toMatchObject({
      resource_id: payment.payment_id,
      resource_type: 'payment',
      api_version: 1,
      resource: { state: { status: 'success' } },
    });
    expect(succeeded.body).not.toContain('444433332222');
    expect(paySignature('another secret', succeeded.body)).not.toBe(
      succeeded.headers['pay-signature'],
    );
  });

  it('tries again when the receiver does not answer 2xx', async () => {
    answerWith = 500;
    const handler = webhookHandler(config);
    const message = await db()
      .selectFrom('outbox')
      .selectAll()
      .where('topic', '=', WEBHOOK_TOPIC)
      .executeTakeFirstOrThrow();
    await expect(
      handler(message.payload as Record<string, unknown>, {
        db: db(),
        idempotencyKey: message.idempotency_key,
        attempt: 2,
        logger: app.platform.logger,
      }),
    ).rejects.toThrow('webhook answered 500');
    answerWith = 200;
  });

  it('refuses a webhook address that is not a URL', async () => {
    expect((await payWebhookCreate(db(), config, ['--org', 'stroud', '--url', 'nope'])).code).toBe(
      64,
    );
  });
});

describe('rotating SESSION_SECRET', () => {
  const NEW_SECRET = 'payments-webhook-rotated-secret-fedcba9876543210';
  const rotated = loadConfig({ SESSION_SECRET: NEW_SECRET, SESSION_SECRETS_PREVIOUS: SECRET });

  it('keeps a webhook’s signing secret: sealed at rest, opened under the previous secret, sealed again by --reseal', async () => {
    const created = await payWebhookCreate(db(), config, ['--org', 'stroud', '--url', receiverUrl]);
    const hook = await db()
      .selectFrom('pay_webhooks')
      .selectAll()
      .where('callback_url', '=', receiverUrl)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(hook.signing_secret_sealed).not.toContain(created.out[0]!);
    expect(webhookSigningSecret(rotated, hook)).toBe(created.out[0]);
    expect(() => webhookSigningSecret(loadConfig({ SESSION_SECRET: NEW_SECRET }), hook)).toThrow();

    const before = await secretsRotateCheck(db(), rotated);
    expect(before.code).toBe(1);
    expect(before.out.find((line) => line.startsWith('Pay webhook'))).toMatch(
      /[1-9]\d* need a previous secret/,
    );
    await secretsRotateCheck(db(), rotated, ['--reseal']);
    const resealed = await db()
      .selectFrom('pay_webhooks')
      .selectAll()
      .where('id', '=', hook.id)
      .executeTakeFirstOrThrow();
    expect(webhookSigningSecret(loadConfig({ SESSION_SECRET: NEW_SECRET }), resealed)).toBe(
      created.out[0],
    );
  });

  it('seals the derived secret of a webhook made before secrets were stored, once', async () => {
    const organisationId = (await findOrganisationBySlug(db(), 'stroud'))!.id;
    const legacy = await db()
      .insertInto('pay_webhooks')
      .values({ organisation_id: organisationId, callback_url: `${receiverUrl}/legacy` })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(await sealLegacyWebhookSecrets(db(), config)).toBe(1);
    expect(await sealLegacyWebhookSecrets(db(), config)).toBe(0);
    const row = await db()
      .selectFrom('pay_webhooks')
      .selectAll()
      .where('id', '=', legacy.id)
      .executeTakeFirstOrThrow();
    expect(webhookSigningSecret(rotated, row)).toBe(legacyWebhookSecret(SECRET, legacy.id));
  });

  it('opens a next_url made under the previous secret, and not one made under a secret it does not hold', async () => {
    const organisationId = (await findOrganisationBySlug(db(), 'stroud'))!.id;
    const { key } = await createPayKey(
      db(),
      { organisationId, name: 'rotation' },
      { userId: null, organisationId, role: 'test' },
    );
    const response = await fetch(`${app.baseUrl}/v1/payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        amount: 500,
        description: 'Rotation',
        reference: 'ROT-1',
        return_url: 'https://example.gov.uk/r',
      }),
    });
    const { payment_id: id } = (await response.json()) as { payment_id: string };
    const forged = `${id}.${nextUrlToken('a-secret-nobody-holds-0123456789abcdef', id)}`;
    const refused = await db()
      .transaction()
      .execute((trx) => openPaymentPage(trx, rotated, forged));
    expect(refused).toEqual({ ok: false, reason: 'unknown' });
    const opened = await db()
      .transaction()
      .execute((trx) => openPaymentPage(trx, rotated, `${id}.${nextUrlToken(SECRET, id)}`));
    expect(opened.ok).toBe(true);
  });
});
