import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue } from '../../src/platform/outbox/outbox.js';
import { startTestApp, Visitor, type TestApp } from '../helpers/app.js';
import { CLI_ARGS } from '../helpers/child-process.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

describe('dead letters', () => {
  it('are shown to a platform admin, who can send them again, and to nobody else', async () => {
    const db = app.platform.database.db;
    await enqueue(db, { topic: 'test.nowhere', payload: {}, idempotencyKey: 'nowhere-1' });
    await db
      .updateTable('outbox')
      .set({ status: 'dead', last_error: 'Receiver said 500' })
      .where('idempotency_key', '=', 'nowhere-1')
      .execute();

    const caseworker = new Visitor(app.baseUrl);
    await caseworker.signIn('caseworker@stroud.example.gov.uk', 'demo-stroud-caseworker');
    expect((await caseworker.get('/admin/outbox')).status).toBe(404);

    const admin = new Visitor(app.baseUrl);
    await admin.signIn('admin@cabinet-office.example.gov.uk', 'demo-platform-admin');
    const page = await admin.get('/admin/outbox');
    expect(page.status).toBe(200);
    expect(page.html).toContain('test.nowhere');
    expect(page.html).toContain('Receiver said 500');
    const id = /action="\/admin\/outbox\/(\d+)\/retry"/.exec(page.html)![1]!;
    const retried = await admin.post(`/admin/outbox/${id}/retry`, {});
    expect(retried.status).toBe(303);
    const row = await db
      .selectFrom('outbox')
      .selectAll()
      .where('idempotency_key', '=', 'nowhere-1')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', attempts: 0 });
    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'outbox.retried')
      .execute();
    expect(audit).toHaveLength(1);
  });
});

describe('the audit log', () => {
  it('refuses to change or remove an entry', async () => {
    const db = app.platform.database.db;
    await sql`insert into audit_log (action, resource_type, resource_id) values ('test.entry', 'test', '1')`.execute(
      db,
    );
    await expect(sql`update audit_log set action = 'changed'`.execute(db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from audit_log`.execute(db)).rejects.toThrow(/append-only/);
  });
});

// The CLI runs here on the embedded database whatever DATABASE_URL says (it is cleared below), so
// the suite's PostgreSQL pass would only repeat these seven cold starts.
describe.skipIf(Boolean(process.env.DATABASE_URL))('the command line', () => {
  const run = promisify(execFile);
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'joinedup-cli-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
  });

  const cli = (...args: string[]) =>
    run(process.execPath, [...CLI_ARGS, ...args], {
      // Vitest sets BASE_URL='/' for Vite; the CLI must not inherit it.
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        BASE_URL: '',
        LOG_LEVEL: 'silent',
      },
    });

  it('migrates, seeds the demo, lists organisations and creates a staff user', async () => {
    expect((await cli('migrate')).stdout).toMatch(/Applied: 0001_platform.sql/);
    expect((await cli('migrate')).stdout).toMatch(/up to date/);
    await cli('seed', '--demo');
    const lines = (await cli('org:list')).stdout.trim().split('\n');
    expect(lines).toContain('stroud\tE07000082\tStroud District Council');
    expect(lines).toContain('dwp\t-\tDepartment for Work and Pensions');
    const created = await cli(
      'user:create',
      '--email',
      'new.caseworker@stroud.example.gov.uk',
      '--role',
      'caseworker',
      '--org',
      'stroud',
    );
    expect(created.stdout).toMatch(
      /^Created staff new\.caseworker@stroud\.example\.gov\.uk with password \S{12,}/,
    );
    await expect(
      cli('user:create', '--email', 'x@example.com', '--role', 'wizard', '--org', 'stroud'),
    ).rejects.toMatchObject({ stderr: expect.stringMatching(/roles: Roles must be some of/) });
    await expect(cli('frobnicate')).rejects.toMatchObject({
      code: 64,
      stderr: expect.stringMatching(/Unknown command frobnicate/),
    });
    // Seven cold starts of the CLI, each loading the platform and opening PGlite on disk; CI runs
    // this beside the browser journeys, where one start can take half a minute.
  }, 360_000);
});
