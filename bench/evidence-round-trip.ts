/**
 * The evidence half of `npm run bench:rules` (issue 16): evidence round trips a second through
 * the hub to a local answering body, against a bare baseline in the same run.
 *
 * Over the demo data (in-memory PGlite, or the empty PostgreSQL database named by DATABASE_URL),
 * DWP answers a yes/no evidence type by webhook from a local HTTP server on 127.0.0.1: it checks
 * nothing, answers 202 at once and posts `{"value":true}`, signed with DWP's hub secret, to the
 * answer address it was sent.
 *   evidence-bare  the same body, same HTTP: an unsigned JSON POST straight to it, and its answer
 *                  to a bare Fastify route that only wakes the waiting caller — no database, no
 *                  signature, no checks;
 *   evidence-hub   `evidenceRoundTrip` (the evidence module's seam): the request recorded and
 *                  queued with its legal basis checked, handed to the `evidence.request` handler
 *                  as the outbox worker would (checked again under a lock, signed, POSTed), the
 *                  body's signed answer checked and kept, and the caller polling (every 2 ms)
 *                  until it sees it answered — as the journey's page does.
 * One round trip at a time (a closed loop of one), so per second is 1 ÷ the mean time.
 */
import { randomUUID } from 'node:crypto';
import { createHmac } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import pino from 'pino';
import { evidenceRoundTrip, publishEvidenceType } from '../src/modules/evidence/index.js';
import { registerCitizen } from '../src/modules/identity/index.js';
import { findOrganisationBySlug } from '../src/modules/organisations/index.js';
import { hubDeliverySet } from '../src/modules/submissions/index.js';
import { listen, startPlatform } from './lib.js';

/** One benchmarked thing: `run(i)` does one unit of work and says whether its answer was right. */
export interface AsyncScene {
  name: string;
  measures: string;
  run(i: number): Promise<boolean>;
}

const CODE = 'bench-dwp-pension-credit';

function post(url: string, body: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        agent: false,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Starts the platform, DWP's local body and the bare answer route, and returns the two scenes
 * and a close function.
 */
export async function evidenceScenes(): Promise<{
  scenes: AsyncScene[];
  close(): Promise<void>;
}> {
  const { platform, base } = await startPlatform({
    HUB_ALLOW_PRIVATE_WEBHOOKS: 'true',
    WORKER: 'off',
  });
  const db = platform.database.db;
  let secret = '';
  const sign = (raw: string) => {
    const t = Math.floor(Date.now() / 1000);
    return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex')}`;
  };

  // DWP's system: 202 at once, then the answer to the address it was sent.
  const body: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(202).end();
      const message = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { answer: string };
      // The answer address names the site's BASE_URL; the platform listens on its own port.
      const answer = message.answer.includes('/api/v1/evidence/')
        ? message.answer.replace(/^https?:\/\/[^/]+/, base)
        : message.answer;
      const raw = '{"value":true}';
      void post(answer, raw, { 'joinedup-signature': sign(raw) }).catch(() => undefined);
    });
  });
  await new Promise<void>((resolve) => body.listen(0, '127.0.0.1', resolve));
  const bodyUrl = `http://127.0.0.1:${(body.address() as AddressInfo).port}/evidence`;

  // The bare baseline's answer route: wakes the caller waiting for that id.
  const waiting = new Map<string, (value: boolean) => void>();
  const bare = Fastify({ logger: false });
  bare.post('/answer/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    waiting.get(id)?.((request.body as { value?: unknown }).value === true);
    waiting.delete(id);
    return reply.code(204).send();
  });
  const bareBase = await listen(bare);

  const dwp = (await findOrganisationBySlug(db, 'dwp'))!.id;
  const county = (await findOrganisationBySlug(db, 'gloucestershire'))!.id;
  const set = await hubDeliverySet(db, platform.config, [
    '--org',
    'dwp',
    '--mode',
    'push',
    '--url',
    bodyUrl,
    '--alert-email',
    'alerts@dwp.example.gov.uk',
  ]);
  if (set.code !== 0) throw new Error(`hub:delivery:set failed: ${set.out.join(' ')}`);
  secret = set.out[0]!;
  const published = await db.transaction().execute((trx) =>
    publishEvidenceType(
      trx,
      { hubAllowPrivateWebhooks: true },
      dwp,
      {
        code: CODE,
        name: 'Receives Pension Credit (bench)',
        nameCy: 'Yn cael Credyd Pensiwn (mainc)',
        askEn: 'whether you receive Pension Credit',
        askCy: 'a ydych yn cael Credyd Pensiwn',
        yesEn: 'you receive Pension Credit',
        yesCy: 'rydych yn cael Credyd Pensiwn',
        noEn: 'you do not receive Pension Credit',
        noCy: 'nid ydych yn cael Credyd Pensiwn',
        subjectKind: 'person',
        answerKind: 'yes-no',
        legalBasis: 'Benchmark: checking entitlement with DWP',
        legalBasisReference: 'Education Act 1996, s.512ZB',
        consentNeeded: false,
        slaSeconds: 30,
        answeredBy: 'webhook',
        webhookUrl: bodyUrl,
      },
      { userId: null, organisationId: dwp, role: 'service-owner' },
    ),
  );
  if (!published.ok) throw new Error(`publishing the evidence type failed`);
  const person = await registerCitizen(db, {
    email: `bench-evidence-${randomUUID()}@example.com`,
    password: 'correct horse battery staple',
    displayName: 'Ann Example',
  });
  if (!person.ok) throw new Error('registering the bench person failed');
  const logger = pino({ level: 'silent' });

  const scenes: AsyncScene[] = [
    {
      name: 'evidence-bare',
      measures: 'unsigned POST to the body, its answer to a bare route',
      async run() {
        const id = randomUUID();
        const answered = new Promise<boolean>((resolve) => waiting.set(id, resolve));
        const status = await post(
          bodyUrl,
          JSON.stringify({ id, question: 'bench', answer: `${bareBase}/answer/${id}` }),
        );
        if (status !== 202) return false;
        return Promise.race([
          answered,
          new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000)),
        ]);
      },
    },
    {
      name: 'evidence-hub',
      measures: 'evidenceRoundTrip: recorded, checked, signed, answered, kept',
      async run() {
        const result = await evidenceRoundTrip(db, platform.config, {
          evidenceType: CODE,
          requestingOrganisationId: county,
          userId: person.user.id,
          subject: { fullName: 'Ann Example', dateOfBirth: '1950-05-04', nino: 'JG103759A' },
          pollMs: 2,
          logger,
        });
        return result.status === 'answered';
      },
    },
  ];
  return {
    scenes,
    async close() {
      await bare.close();
      await new Promise<void>((resolve) => body.close(() => resolve()));
      await platform.close();
    },
  };
}
