/**
 * The Gateway's throughput benchmark: `npm run bench:identity` (tsx bench/identity.ts). Like
 * bench/run.ts it is not part of `npm test` and never asserts timings: it measures, prints a
 * table and exits 0 unless a scenario did not do what it says it measures (e.g. a sign-in that
 * did not start a session).
 *
 * In ONE process it starts
 *   (a) bare Fastify baselines — one GET route returning a small HTML string; one POST route that
 *       parses a form and returns a small JSON body (the floor for the token endpoint); and one
 *       POST route that parses a form and verifies the password with argon2id against the demo
 *       citizen's stored hash, then answers 303 (the floor for sign-in: the hash alone), and
 *   (b) the real platform (createPlatform on in-memory PGlite, outbox worker on, demo data
 *       seeded, SIGN_IN_ATTEMPTS_PER_MINUTE raised to its maximum so the per-account limit does
 *       not refuse the benchmark's sign-ins),
 * each on a random port, and drives them with autocannon from the same process.
 *
 * Scenarios:
 *   sign-in            POST /sign-in with the demo citizen's right password: rate-limit count in
 *                      the database, user lookup, argon2id verification, a new session + audit
 *                      entry + "new sign-in" e-mail in the outbox (one transaction), 303.
 *   token: bad secret  POST /oidc/token from a client_secret_post client with a wrong secret:
 *                      fails client authentication (401 invalid_client).
 *   token: unknown code  right secret, a code that was never issued (400 invalid_grant).
 *   token: exchange    right secret and a real, unused authorization code with its PKCE
 *                      verifier (200 with ID and access tokens). Codes are single-use and live 60 s,
 *                      so a pool is minted first through the real authorize → sign-in → callback
 *                      journey (not measured) and the run stops when the pool runs out.
 *
 * Environment:
 *   BENCH_SECONDS       seconds measured per scenario (default 5)
 *   BENCH_WARMUP        seconds of warm-up per scenario, not measured (default 1)
 *   BENCH_CONNECTIONS   concurrent connections (default 10)
 *   BENCH_CODES         most authorization codes to mint for the exchange row (default: sized from
 *                       the unknown-code rate, at most 5,000; minting stops after 30 s whatever)
 *   DATABASE_URL        bench a PostgreSQL database instead of PGlite (it must be empty: demo data is seeded)
 */
import { createHash, randomBytes } from 'node:crypto';
import formbody from '@fastify/formbody';
import { parseOptions, verify } from '@node-rs/argon2';
import autocannon from 'autocannon';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Platform } from '../src/main/platform.js';
import { DEMO_ACCOUNTS } from '../src/main/seed.js';
import { oidcClientCreate } from '../src/modules/sso/index.js';
import {
  addNotes,
  type Check,
  CONNECTIONS,
  describeRun,
  enterScratch,
  FORM,
  hiddenInput,
  listen,
  measure,
  printTable,
  progress,
  type Row,
  SECONDS,
  serveSmallPage,
  settle,
  startPlatform,
  Visitor,
  WARMUP,
  warmUp,
} from './lib.js';

/** The largest value the configuration accepts (src/platform/config/config.ts). */
const SIGN_IN_LIMIT = 10_000;
/** oidc-provider's AuthorizationCode lifetime in src/modules/sso/provider.ts. */
const CODE_TTL_SECONDS = 60;
/** Minting stops after this long, so the first code is still alive when the last is used. */
const MINT_BUDGET_SECONDS = 30;
const REDIRECT_URI = 'https://bench-rp.example.gov.uk/callback';

/** The bare baselines: nothing but Fastify (and, for sign-in, @fastify/formbody and argon2). */
async function baselines(passwordHash: string): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify({ logger: false });
  await app.register(formbody);
  serveSmallPage(app);
  app.post('/form', async (request) => {
    const body = request.body as Record<string, string>;
    return { error: 'invalid_grant', echoed: Object.keys(body).length };
  });
  app.post('/verify', async (request, reply) => {
    const body = request.body as { password?: string };
    const ok = await verify(passwordHash, body.password ?? '');
    return ok ? reply.redirect('/', 303) : reply.code(400).send('wrong');
  });
  return { app, url: await listen(app) };
}

interface Minted {
  code: string;
}

/**
 * Authorization codes through the real journey: each visitor signs in once (authorize →
 * interaction → /sign-in → interaction → callback), then each further authorize request with
 * its sessions comes straight back with a new code.
 */
async function mintCodes(
  base: string,
  client: { id: string },
  pkce: { challenge: string },
  citizen: { email: string; password: string },
  target: number,
): Promise<{ codes: Minted[]; seconds: number; hops: number; firstAt: number }> {
  const codes: Minted[] = [];
  let hops = 0;
  const started = performance.now();
  const deadline = started + MINT_BUDGET_SECONDS * 1000;
  const authorizeUrl = () =>
    `/oidc/auth?${new URLSearchParams({
      client_id: client.id,
      response_type: 'code',
      scope: 'openid email',
      redirect_uri: REDIRECT_URI,
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
      state: randomBytes(8).toString('base64url'),
      nonce: randomBytes(8).toString('base64url'),
      vtr: '["Cl"]',
    }).toString()}`;

  async function oneCode(visitor: Visitor): Promise<string> {
    let location = authorizeUrl();
    for (let hop = 0; hop < 12; hop += 1) {
      if (location.startsWith(REDIRECT_URI)) {
        const code = new URL(location).searchParams.get('code');
        if (!code) throw new Error(`The callback carried no code: ${location}`);
        return code;
      }
      if (location.startsWith('/sign-in?')) {
        const returnTo = new URL(location, base).searchParams.get('returnTo') ?? '/';
        const page = await visitor.send('GET', location);
        const signedIn = await visitor.send('POST', '/sign-in', {
          email: citizen.email,
          password: citizen.password,
          returnTo,
          _csrf: hiddenInput(page.html, '_csrf'),
        });
        hops += 2;
        if (signedIn.status !== 303)
          throw new Error(`Signing in for a code: expected 303, got ${signedIn.status}`);
        location = signedIn.location;
        continue;
      }
      const response = await visitor.send('GET', location.replace(base, ''));
      hops += 1;
      if (response.status < 300 || response.status >= 400 || !response.location)
        throw new Error(`Minting a code: ${location} answered ${response.status}`);
      location = response.location;
    }
    throw new Error('Minting a code: too many redirects');
  }

  const workers = Array.from({ length: CONNECTIONS }, async () => {
    const visitor = new Visitor(base);
    while (codes.length < target && performance.now() < deadline) {
      codes.push({ code: await oneCode(visitor) });
    }
  });
  await Promise.all(workers);
  return { codes, seconds: (performance.now() - started) / 1000, hops, firstAt: started };
}

async function main(): Promise<void> {
  // The development mailbox (DATA_DIR=:memory: → os.tmpdir()/joinedup-mailbox) goes to a
  // temporary folder, so the new-sign-in e-mails do not pile up in the shared one.
  const leaveScratch = enterScratch('joinedup-bench-identity-', { tmpdir: true });
  const rows: Row[] = [];
  let baseline: FastifyInstance | undefined;
  let platform: Platform | undefined;
  try {
    const started = await startPlatform({
      SIGN_IN_ATTEMPTS_PER_MINUTE: String(SIGN_IN_LIMIT),
      SIGN_IN_ATTEMPTS_PER_ADDRESS_PER_MINUTE: '100000',
    });
    platform = started.platform;
    const { base } = started;
    const { db } = platform.database;
    const citizen = DEMO_ACCOUNTS.find((a) => a.organisation === null)!;
    const citizenRow = await db
      .selectFrom('users')
      .select(['id', 'password_hash'])
      .where('email', '=', citizen.email)
      .executeTakeFirstOrThrow();
    const cost = parseOptions(citizenRow.password_hash);

    const bare = await baselines(citizenRow.password_hash);
    baseline = bare.app;
    progress(`platform listening on ${base} (${platform.database.kind}); baselines on ${bare.url}`);

    // Sign in once through the real page, to be sure the scenario measures a success path.
    const visitor = new Visitor(base);
    const signInPage = await visitor.send('GET', '/sign-in');
    const csrfToken = hiddenInput(signInPage.html, '_csrf');
    const csrfCookie = visitor.cookies.get('_csrf');
    if (!csrfCookie) throw new Error('The sign-in page did not set the _csrf cookie');
    const signInFields = {
      email: citizen.email,
      password: citizen.password,
      _csrf: csrfToken,
      returnTo: '/',
    };
    const signInBody = new URLSearchParams(signInFields).toString();
    const first = await visitor.send('POST', '/sign-in', signInFields);
    if (first.status !== 303 || first.location !== '/')
      throw new Error(
        `Signing in as the demo citizen: expected 303 → /, got ${first.status} → ${first.location || '(none)'}` +
          ' (a second factor on the demo citizen would send it elsewhere)',
      );

    rows.push(
      await measure(
        bare.url,
        'baseline',
        'bare Fastify, one GET route returning a small HTML string',
        { method: 'GET', path: '/' },
        (s) => s === 200,
      ),
    );
    rows.push(
      await measure(
        bare.url,
        'baseline form POST',
        'bare Fastify + @fastify/formbody: parse a small form, return a small JSON body (the floor for the token endpoint)',
        {
          method: 'POST',
          path: '/form',
          headers: FORM,
          body: 'grant_type=authorization_code&code=x',
        },
        (s) => s === 200,
      ),
    );
    rows.push(
      await measure(
        bare.url,
        'baseline argon2 verify',
        `bare Fastify + @fastify/formbody + one argon2id verify of the demo citizen's stored hash, 303 (the floor for sign-in: the hash alone)`,
        {
          method: 'POST',
          path: '/verify',
          headers: FORM,
          body: new URLSearchParams({ password: citizen.password }).toString(),
        },
        (s) => s === 303,
      ),
    );

    // Sign-in: every request is a right password and makes a session, an audit entry and an e-mail.
    const signInCounts = async () => {
      const [sessions, audits, mails] = await Promise.all([
        db
          .selectFrom('sessions')
          .select(sql<number>`count(*)::int`.as('n'))
          .where('user_id', '=', citizenRow.id)
          .executeTakeFirstOrThrow(),
        db
          .selectFrom('audit_log')
          .select(sql<number>`count(*)::int`.as('n'))
          .where('action', '=', 'account.signed_in')
          .where('subject_user_id', '=', citizenRow.id)
          .executeTakeFirstOrThrow(),
        db
          .selectFrom('outbox')
          .select(sql<number>`count(*)::int`.as('n'))
          .where('idempotency_key', 'like', `security:new-sign-in:${citizenRow.id}:%`)
          .executeTakeFirstOrThrow(),
      ]);
      return { sessions: sessions.n, audits: audits.n, mails: mails.n };
    };
    const signInRequest: autocannon.Request = {
      method: 'POST',
      path: '/sign-in',
      headers: { ...FORM, cookie: `_csrf=${csrfCookie}` },
      body: signInBody,
    };
    if (WARMUP > 0) {
      progress(`sign-in: ${WARMUP} s warm-up`);
      await warmUp(base, signInRequest);
    }
    await settle();
    const before = await signInCounts();
    const signIn = await measure(
      base,
      'sign-in',
      `POST /sign-in with the demo citizen's right password (argon2id m=${cost.memoryCost / 1024} MiB, t=${cost.timeCost}, ` +
        `p=${cost.parallelism}): CSRF check, per-account rate-limit count in the database ` +
        `(SIGN_IN_ATTEMPTS_PER_MINUTE=${SIGN_IN_LIMIT}, the most the configuration allows, so it does not refuse the bench), ` +
        'user lookup, argon2id verify, new session + audit entry + "new sign-in" e-mail in the outbox (one transaction), 303 to /; ' +
        'the outbox worker sends the e-mails in the background',
      { ...signInRequest },
      (status, headers) => status === 303 && headers.location === '/',
      { warmup: false, against: 'baseline argon2 verify' },
    );
    await settle();
    const after = await signInCounts();
    const made = {
      sessions: after.sessions - before.sessions,
      audits: after.audits - before.audits,
      mails: after.mails - before.mails,
    };
    const signInNotes = [
      `${made.sessions} sessions, ${made.audits} account.signed_in audit entries and ${made.mails} new-sign-in e-mails queued`,
    ];
    // Requests in flight when autocannon stops are finished by the server but not counted.
    const consistent = [made.sessions, made.audits, made.mails].every(
      (n) => n >= signIn.expected && n <= signIn.expected + CONNECTIONS,
    );
    if (!consistent) signInNotes.push(`MISMATCH: ${signIn.expected} sign-ins answered 303 → /`);
    addNotes(signIn, signInNotes);
    rows.push(signIn);
    if (!consistent || signIn.expected !== signIn.requests) process.exitCode = 1;

    // The token endpoint, for a client_secret_post relying party registered with the CLI's command.
    const created = await oidcClientCreate(db, [
      '--name',
      'Bench relying party',
      '--redirect-uri',
      REDIRECT_URI,
      '--auth',
      'client_secret_post',
    ]);
    if (created.code !== 0) throw new Error(`oidc:client:create failed: ${created.err.join('\n')}`);
    const clientId = /^client_id (\S+)$/.exec(created.out[0] ?? '')?.[1];
    const clientSecret = /^client_secret (\S+)/.exec(created.out[1] ?? '')?.[1];
    if (!clientId || !clientSecret)
      throw new Error(`Unexpected command output: ${created.out.join('\n')}`);
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const tokenBody = (fields: Record<string, string>) =>
      new URLSearchParams({
        grant_type: 'authorization_code',
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
        client_id: clientId,
        client_secret: clientSecret,
        ...fields,
      }).toString();
    const jsonError =
      (status: number, error: string): Check =>
      (s, _h, body) =>
        s === status && body.includes(`"${error}"`);

    rows.push(
      await measure(
        base,
        'token: bad secret',
        'POST /oidc/token, client_secret_post with a WRONG secret: oidc-provider parses the form, loads the client ' +
          'from the database and refuses it (401 invalid_client); no code is looked up',
        {
          method: 'POST',
          path: '/oidc/token',
          headers: FORM,
          body: tokenBody({ code: 'never-issued', client_secret: 'not-the-secret' }),
        },
        jsonError(401, 'invalid_client'),
        { against: 'baseline form POST' },
      ),
    );
    const unknownCode = await measure(
      base,
      'token: unknown code',
      'POST /oidc/token, the right client_secret_post secret and a code that was never issued: client ' +
        'authenticated, the code looked up in the database and not found (400 invalid_grant)',
      {
        method: 'POST',
        path: '/oidc/token',
        headers: FORM,
        body: tokenBody({ code: 'never-issued' }),
      },
      jsonError(400, 'invalid_grant'),
      { against: 'baseline form POST' },
    );
    rows.push(unknownCode);

    // Real exchanges need a fresh code each; codes live 60 s, so mint a pool just before.
    const warmupCodes = WARMUP > 0 ? Math.min(200, CONNECTIONS * 20) : 0;
    const wanted = Math.min(
      Number(process.env.BENCH_CODES) > 0 ? Number(process.env.BENCH_CODES) : 5_000,
      Math.max(200, Math.ceil(unknownCode.reqPerSec * SECONDS * 0.5)) + warmupCodes,
    );
    progress(
      `token: exchange: minting up to ${wanted} authorization codes through authorize → sign-in → callback (at most ${MINT_BUDGET_SECONDS} s)`,
    );
    const minted = await mintCodes(base, { id: clientId }, { challenge }, citizen, wanted);
    let next = 0;
    let exhausted = false;
    const exchangeRequest: autocannon.Request = {
      method: 'POST',
      path: '/oidc/token',
      setupRequest(request) {
        const entry = minted.codes[next++];
        // Never send a code twice: oidc-provider treats a replayed code as theft and revokes the grant.
        if (!entry) exhausted = true;
        return {
          ...request,
          headers: FORM,
          body: tokenBody({ code: entry?.code ?? 'pool-ran-out' }),
        };
      },
    };
    if (warmupCodes > 0 && minted.codes.length > warmupCodes * 2) {
      progress(`token: exchange: warming up on ${warmupCodes} codes`);
      await autocannon({
        url: base,
        connections: CONNECTIONS,
        amount: warmupCodes,
        requests: [exchangeRequest],
      });
    }
    const left = minted.codes.length - next;
    const exchange = await measure(
      base,
      'token: exchange',
      'POST /oidc/token, the right client_secret_post secret and a real unused authorization code with its PKCE ' +
        'verifier: client authenticated, code found and consumed, grant and account loaded, pairwise sub, ' +
        'ES256 ID token signed, access token stored (200 with id_token); each request a different code from a ' +
        'pool minted beforehand, not measured',
      exchangeRequest,
      (status, _headers, body) => status === 200 && body.includes('"id_token"'),
      { warmup: false, maxRequests: left, against: 'baseline form POST' },
    );
    const oldest = (performance.now() - minted.firstAt) / 1000;
    const exchangeNotes = [
      `${minted.codes.length} codes minted in ${minted.seconds.toFixed(1)} s by ${CONNECTIONS} visitors ` +
        `(${minted.hops} requests), not measured; the oldest was ${oldest.toFixed(0)} s old at the end (codes live ${CODE_TTL_SECONDS} s)`,
    ];
    if (exhausted || exchange.requests >= left)
      exchangeNotes.push(
        'the pool ran out before the time was up, so this row ran for less than the full time',
      );
    addNotes(exchange, exchangeNotes);
    rows.push(exchange);

    const threads = process.env.UV_THREADPOOL_SIZE ?? '4 (default)';
    printTable(
      rows,
      `Joinedup identity bench: ${describeRun(platform.database.kind)}, UV_THREADPOOL_SIZE ${threads}; ` +
        'load generator in the same process.\n' +
        `Password hashes: argon2id m=${cost.memoryCost} KiB (${cost.memoryCost / 1024} MiB), t=${cost.timeCost}, p=${cost.parallelism} ` +
        '(docs/adr/0006-argon2id-parameters.md). Sign-in rate limit raised to ' +
        `SIGN_IN_ATTEMPTS_PER_MINUTE=${SIGN_IN_LIMIT} for this run.`,
      '"ratio to baseline" is req/s divided by the bare GET baseline\'s; "ratio to its floor" divides by the bare\n' +
        'route doing the least the scenario must do (a form POST, or a form POST plus the argon2id verify). argon2id runs\n' +
        "on libuv's thread pool, so sign-ins per second are bounded by cores ÷ hash time whatever the rest costs.\n" +
        '"as expected" counts responses that were the intended outcome. Timings vary by machine and load; nothing\n' +
        'here is asserted.',
    );
    for (const row of rows)
      if (row !== exchange && row.expected !== row.requests) process.exitCode = 1;
    // Only the pool running out (and no more) may spoil the exchange row.
    const spoiled = exchange.requests - exchange.expected - (exhausted ? CONNECTIONS : 0);
    if (exchange.expected === 0 || spoiled > 0) process.exitCode = 1;
  } finally {
    await platform?.close();
    await baseline?.close();
    leaveScratch();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
