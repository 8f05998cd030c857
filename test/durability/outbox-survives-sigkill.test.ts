import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  freePort,
  inputValue,
  PageClient,
  startJoinedup,
  seededDataDir,
  throwAwayDatabase,
  type RunningJoinedup,
} from '../helpers/child-process.js';

/**
 * The promise: "Killing the process between 'submitted' and 'delivered' loses nothing:
 * on restart the outbox delivers it." A real `joinedup start` child takes an application with
 * its outbox worker off, is killed with SIGKILL (no shutdown hooks, no flushing), and is started
 * again with the worker on, on the same data: the application must then be received, and the
 * applicant e-mailed exactly once.
 */

const SERVICE = '/services/request-a-bulky-waste-collection';
const CITIZEN = { email: 'citizen@example.com', password: 'demo-citizen-password' };
const RECEIVED = 'Received by Stroud District Council';

/** A weekday 7 to 14 days from today in UK time, as the date page's three fields. */
function collectionDate(): Record<string, string> {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
  for (let days = 7; days <= 14; days++) {
    const date = new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000);
    const weekday = date.getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    return {
      'preferredDate-day': String(date.getUTCDate()),
      'preferredDate-month': String(date.getUTCMonth() + 1),
      'preferredDate-year': String(date.getUTCFullYear()),
    };
  }
  throw new Error('unreachable: every 8-day window has a weekday');
}

/** The status tag's words on an application page, e.g. "Sent" or "Received". */
function statusOf(html: string): string | undefined {
  return /<strong class="govuk-tag[^"]*">\s*([^<]*?)\s*<\/strong>/.exec(html)?.[1];
}

/** E-mails about applications (security e-mails about signing in are left out). */
async function mailFiles(dataDir: string): Promise<string[]> {
  const mailbox = path.join(dataDir, 'mailbox');
  if (!existsSync(mailbox)) return [];
  return (await readdir(mailbox))
    .filter((name) => name.startsWith('submission.') && name.endsWith('.eml'))
    .sort();
}

describe('the outbox survives SIGKILL between submitted and delivered', () => {
  const serverUrl = process.env.DATABASE_URL;
  let dataDir: string;
  let database: { url: string; drop(): Promise<void> } | undefined;
  const children: RunningJoinedup[] = [];

  async function start(worker: 'on' | 'off'): Promise<RunningJoinedup> {
    const child = await startJoinedup({
      env: {
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        WORKER: worker,
        WORKER_POLL_MS: '200',
        ...(database ? { DATABASE_URL: database.url } : {}),
      },
    });
    children.push(child);
    return child;
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'joinedup-durability-'));
    // Start from the demo already migrated and seeded (`npm start` would otherwise seed it).
    if (serverUrl) database = await throwAwayDatabase(serverUrl, { seeded: true });
    else await seededDataDir(dataDir);
  });

  afterAll(async () => {
    for (const child of children) await child.stop();
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
  });

  it('delivers, after a restart, an application taken while the worker was off and the process was then killed', async () => {
    // 1. First run: worker off, so nothing taken can be delivered before the kill.
    const first = await start('off');
    const browser = new PageClient(first.baseUrl);
    const explain = (
      what: string,
      page: { status: number; location: string | null; text: string },
    ) =>
      `${what}: HTTP ${page.status} → ${page.location ?? '(no redirect)'}\n${page.text.slice(0, 1500)}\n--- child output ---\n${first.output().slice(-3000)}`;

    const signInPage = await browser.get('/sign-in');
    expect(signInPage.status).toBe(200);
    expect(browser.csrf, 'the sign-in page carries a _csrf token').toBeTruthy();
    const signedIn = await browser.post('/sign-in', { ...CITIZEN, returnTo: '/' });
    expect(signedIn.status, explain('sign in', signedIn)).toBe(303);
    expect(browser.jar.get('ju_session'), 'a session cookie after sign-in').toBeTruthy();

    const steps: [string, Record<string, string>, string][] = [
      ['items', { items: 'sofa', itemDetails: '' }, `${SERVICE}/apply/address`],
      [
        'address',
        { addressLine1: '1 Test Street', addressLine2: '', town: 'Stroud', postcode: 'GL5 1AA' },
        `${SERVICE}/apply/date`,
      ],
      ['date', collectionDate(), `${SERVICE}/apply/check-answers`],
    ];
    for (const [page, fields, next] of steps) {
      const form = await browser.get(`${SERVICE}/apply/${page}`);
      expect(form.status, explain(`GET ${page}`, form)).toBe(200);
      const answered = await browser.post(`${SERVICE}/apply/${page}`, fields);
      expect(answered.status, explain(`POST ${page}`, answered)).toBe(303);
      expect(answered.location).toBe(next);
    }

    const check = await browser.get(`${SERVICE}/apply/check-answers`);
    expect(check.status, explain('check answers', check)).toBe(200);
    const draftId = inputValue(check.text, 'draftId');
    expect(draftId, 'the check page carries the draft id').toMatch(/^[0-9a-f-]{36}$/);
    const submitted = await browser.post(`${SERVICE}/apply/submit`, { draftId: draftId! });
    expect(submitted.status, explain('submit', submitted)).toBe(303);
    const reference = /^\/applications\/([^/]+)\/confirmation$/.exec(submitted.location ?? '')?.[1];
    expect(reference, `a confirmation redirect, got ${submitted.location}`).toBeTruthy();

    // Not vacuous: before the kill the application really is taken and really is undelivered.
    const before = await browser.get(`/applications/${reference}`);
    expect(before.status, explain('application page before the kill', before)).toBe(200);
    expect(statusOf(before.text)).toBe('Sent');
    expect(before.text).not.toContain(RECEIVED);
    expect(await mailFiles(dataDir)).toEqual([]);

    // 2. The crash: no SIGTERM handler runs, nothing is flushed or closed.
    const killed = await first.kill();
    expect(killed.signal).toBe('SIGKILL');

    // 3. Restart on the same data with the worker on.
    const second = await start('on');
    browser.baseUrl = second.baseUrl;

    // Sessions live in the database: the cookie from before the crash still signs us in.
    const afterRestart = await browser.get(`/applications/${reference}`);
    expect(
      afterRestart.status,
      `the old session should survive the restart; got ${afterRestart.status} → ${afterRestart.location}`,
    ).toBe(200);

    const delivered = await eventually(
      async () => {
        const page = await browser.get(`/applications/${reference}`);
        return page.status === 200 && page.text.includes(RECEIVED) ? page : undefined;
      },
      {
        timeoutMs: 20_000,
        what: () =>
          `${reference} to be received after the restart\n--- child output ---\n${second.output().slice(-6000)}`,
      },
    );
    expect(statusOf(delivered.text)).toBe('Received');

    // The applicant's e-mail went through the outbox too: exactly one, about this application.
    const mails = await eventually(
      async () => {
        const names = await mailFiles(dataDir);
        return names.length > 0 ? names : undefined;
      },
      { timeoutMs: 20_000, what: 'the applicant e-mail in the development mailbox' },
    );
    // Give a duplicate delivery (if there were one) a few worker passes to show up.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const settled = await mailFiles(dataDir);
    expect(settled).toEqual(mails);
    expect(settled).toHaveLength(1);
    expect(settled[0]).toMatch(/^submission\.submitted_[0-9a-f-]{36}_mail\.eml$/);
    const mail = await readFile(path.join(dataDir, 'mailbox', settled[0]!), 'utf8');
    expect(mail).toContain(`To: ${CITIZEN.email}`);
    expect(mail).toContain(reference);

    expect(second.child.exitCode, 'the restarted app is still running').toBeNull();
  }, 90_000);
});
