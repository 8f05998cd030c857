import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { findOrganisationBySlug } from '../../organisations/index.js';
import { createPayKey } from '../keys.js';

let app: TestApp;
const keys: string[] = [];
const db = () => app.platform.database.db;

beforeAll(async () => {
  app = await startTestApp({ PAY_API_REQUESTS_PER_MINUTE: '3' });
  const organisationId = (await findOrganisationBySlug(db(), 'stroud'))!.id;
  for (const name of ['first', 'second'])
    keys.push(
      (
        await createPayKey(
          db(),
          { organisationId, name },
          { userId: null, organisationId, role: 'test' },
        )
      ).key,
    );
});
afterAll(async () => {
  await app?.close();
});

const list = (key: string) =>
  fetch(`${app.baseUrl}/v1/payments`, { headers: { authorization: `Bearer ${key}` } });

describe('the payments API rate limit', () => {
  it('answers 429 P0900 past the limit for one key, and counts each key on its own', async () => {
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => list(keys[0]!)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(3);
    const refused = answers.find((a) => a.status === 429)!;
    expect(refused).toBeDefined();
    expect(await refused.json()).toEqual({ code: 'P0900', description: 'Too many requests' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await list(keys[1]!)).status).toBe(200);
  });

  it('lets the key in again once the minute has passed', async () => {
    await db()
      .updateTable('rate_limits')
      .set({ window_ends_at: new Date(Date.now() - 1000) })
      .where('key', 'like', 'pay-api:%')
      .execute();
    expect((await list(keys[0]!)).status).toBe(200);
  });
});
