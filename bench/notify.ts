/**
 * Notify benchmark: `npx tsx bench/notify.ts`. Measures, prints a table, asserts no timings.
 *
 * In ONE process it starts a bare Fastify app answering 201 with a small JSON body (the
 * baseline), the real platform (outbox worker on, PGlite in memory or DATABASE_URL) with
 * SMTP_URL pointing at a local `smtp-server`, and then
 *   1. drives `POST /v2/notifications/email` with autocannon: sends accepted and queued a second;
 *   2. sends BENCH_EMAILS e-mails (10 at a time) and waits until the SMTP server has them all:
 *      e-mails delivered a second end to end, and p50/p95 from request to SMTP receipt.
 * GOV.UK Notify's published bar is 95% of e-mails sent within 10 seconds.
 *
 * Environment: BENCH_SECONDS (5), BENCH_CONNECTIONS (10), BENCH_EMAILS (500), DATABASE_URL.
 */
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { SMTPServer } from 'smtp-server';
import { createPlatform } from '../src/main/platform.js';
import { seedDemo } from '../src/main/seed.js';
import { notifyKeyCreate, notifyTemplateCreate } from '../src/modules/notify/index.js';
import { loadConfig } from '../src/platform/config/config.js';
import { openDatabase } from '../src/platform/db/connect.js';
import { CONNECTIONS, listen, progress, SECONDS } from './lib.js';

const EMAILS = Number(process.env.BENCH_EMAILS ?? 500) || 500;

function token(apiKey: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ typ: 'JWT', alg: 'HS256' })}.${part({ iss: apiKey.slice(-73, -37), iat: Math.round(Date.now() / 1000) })}`;
  return `${unsigned}.${createHmac('sha256', apiKey.slice(-36)).update(unsigned).digest('base64url')}`;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function cannon(
  url: string,
  headers: Record<string, string>,
  body: string,
  expected: number,
) {
  const result = await autocannon({
    url,
    method: 'POST',
    headers,
    body,
    connections: CONNECTIONS,
    duration: SECONDS,
  });
  const ok = result['2xx'];
  return {
    reqPerSec: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    non2xx: result.non2xx,
    expected,
  };
}

async function main(): Promise<void> {
  const receivedAt = new Map<string, number>();
  const smtp = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    onData(stream, _session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
      stream.on('end', () => {
        const match = /bench-(\d+)/.exec(data);
        if (match) receivedAt.set(match[1]!, performance.now());
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const baseline = Fastify();
  baseline.post('/v2/notifications/email', async (_request, reply) =>
    reply.code(201).send({ id: '00000000-0000-4000-8000-000000000000', content: { body: 'x' } }),
  );
  const baselineUrl = await listen(baseline);

  const config = loadConfig({
    DATA_DIR: ':memory:',
    LOG_LEVEL: 'silent',
    // nodemailer opens a connection a message unless pooled: about 105 ms against 12 ms here.
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}?pool=true`,
    WORKER_POLL_MS: '50',
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
  });
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: ':memory:' });
  const platform = await createPlatform(config, { database });
  await seedDemo(database.db);
  const base = await listen(platform.app);
  const key = (await notifyKeyCreate(database.db, config, ['--org', 'stroud', '--type', 'live']))
    .out[0]!;
  await database.db
    .updateTable('notify_services')
    .set({ rate_limit: 10_000_000, message_limit: 10_000_000 })
    .execute();
  const template = (
    await notifyTemplateCreate(database.db, [
      '--org',
      'stroud',
      '--type',
      'email',
      '--name',
      'B',
      '--subject',
      'Ref ((ref))',
      '--body',
      'Hello ((name)), ref ((ref))',
    ])
  ).out[0]!;

  const body = JSON.stringify({
    template_id: template,
    email_address: 'bench@example.com',
    personalisation: { name: 'Sam', ref: 'load' },
  });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token(key)}` };
  progress('baseline');
  const bare = await cannon(`${baselineUrl}/v2/notifications/email`, headers, body, 201);
  progress('POST /v2/notifications/email');
  const api = await cannon(`${base}/v2/notifications/email`, headers, body, 201);

  progress(`end to end, ${EMAILS} e-mails`);
  // Let the load phase's e-mails drain first, so the end-to-end phase measures itself.
  while (
    (
      await database.db
        .selectFrom('outbox')
        .select('id')
        .where('status', '=', 'pending')
        .limit(1)
        .execute()
    ).length
  )
    await new Promise((resolve) => setTimeout(resolve, 200));
  const sentAt = new Map<string, number>();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next < EMAILS) {
        const ref = String(next++);
        sentAt.set(ref, performance.now());
        const response = await fetch(`${base}/v2/notifications/email`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token(key)}` },
          body: JSON.stringify({
            template_id: template,
            email_address: 'bench@example.com',
            personalisation: { name: 'Sam', ref: `bench-${ref}` },
          }),
        });
        if (response.status !== 201) throw new Error(`send answered ${response.status}`);
      }
    }),
  );
  const deadline = Date.now() + 120_000;
  while (receivedAt.size < EMAILS && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  const elapsed = (performance.now() - started) / 1000;
  const latencies = [...sentAt]
    .filter(([ref]) => receivedAt.has(ref))
    .map(([ref, at]) => receivedAt.get(ref)! - at);

  console.log('| scenario | req/s | p50 ms | p99 ms | 2xx | non-2xx |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  console.log(
    `| bare Fastify 201 (baseline) | ${bare.reqPerSec} | ${bare.p50} | ${bare.p99} | ${bare.ok} | ${bare.non2xx} |`,
  );
  console.log(
    `| POST /v2/notifications/email (accepted + queued) | ${api.reqPerSec} | ${api.p50} | ${api.p99} | ${api.ok} | ${api.non2xx} |`,
  );
  console.log('');
  console.log(
    `End to end: ${receivedAt.size}/${EMAILS} e-mails received by SMTP in ${elapsed.toFixed(1)} s`,
  );
  console.log(
    `  ${(receivedAt.size / elapsed).toFixed(1)} delivered/s; request → SMTP receipt p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms`,
  );
  console.log(
    `  Notify's bar (95% within 10 s): ${percentile(latencies, 95) <= 10_000 ? 'met' : 'NOT met'}`,
  );

  await platform.close();
  await database.close();
  await baseline.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  process.exit(receivedAt.size === EMAILS && api.ok > 0 ? 0 : 1);
}

void main();
