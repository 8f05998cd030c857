import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { accessibilityChecker, browserSession } from '../helpers/browser.js';

const session = browserSession();
const APPLY = '/services/free-school-meals-gloucestershire/apply';
const CITIZEN = 'citizen@example.com';

/** The code the second factor page e-mailed the citizen (through the outbox). */
async function secondFactorCode(): Promise<string> {
  const row = await session.app.platform.database.db
    .selectFrom('outbox')
    .select('payload')
    .where('topic', '=', 'mail.send')
    .where(sql<string>`payload->>'to'`, '=', CITIZEN)
    .where('idempotency_key', 'like', 'second-factor-code:%')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  const code = /\b(\d{6})\b/.exec(String((row.payload as { text?: string }).text))?.[1];
  if (!code) throw new Error('No second-factor code e-mailed');
  return code;
}

describe('free school meals decided by rules in a browser', () => {
  it('a citizen claims free school meals, DWP’s table answers, and the decision is on the confirmation page at once, with the right to a person’s review: axe-clean', async () => {
    const { page } = session;
    const db = session.app.platform.database.db;
    const { checkedPages, checkAccessibility, navigate } = accessibilityChecker();
    // The service asks for a second factor (level 2): the demo citizen gets codes by e-mail.
    await db
      .updateTable('users')
      .set({ second_factor: 'email', email_verified_at: new Date() })
      .where('email', '=', CITIZEN)
      .execute();
    await page.goto(`/sign-in?returnTo=${encodeURIComponent(APPLY)}`);
    await page.getByLabel('E-mail address').fill(CITIZEN);
    await page.getByLabel('Password', { exact: true }).fill('demo-citizen-password');
    await navigate(page, 'second factor', () =>
      page.getByRole('button', { name: 'Sign in' }).click(),
    );
    await page.getByLabel('Security code').fill(await secondFactorCode());
    await navigate(page, 'after the second factor', () =>
      page.getByRole('button', { name: 'Continue' }).click(),
    );

    await page.goto(`${APPLY}/about-you`);
    await checkAccessibility(page, 'about you');
    await page.getByLabel('Your full name').fill('Sam Citizen');
    await page.locator('#dateOfBirth-day').fill('14');
    await page.locator('#dateOfBirth-month').fill('7');
    await page.locator('#dateOfBirth-year').fill('1985');
    await page.getByLabel('Your National Insurance number').fill('JG 10 37 59 A');
    await navigate(page, 'about your child', () =>
      page.getByRole('button', { name: 'Continue' }).click(),
    );
    await page.getByLabel('Your child’s full name').fill('Alex Citizen');
    await page
      .getByLabel('Which school does your child go to?')
      .fill('Stroud Valley Primary School');
    await page.locator('#stateSchool').check();
    await navigate(page, 'we will ask DWP', () =>
      page.getByRole('button', { name: 'Continue' }).click(),
    );
    expect(
      await page
        .getByText('whether you get a benefit that qualifies for free school meals')
        .count(),
    ).toBeGreaterThan(0);
    await navigate(page, 'we are checking with DWP', () =>
      page.getByRole('button', { name: 'Continue' }).click(),
    );
    // DWP answers from its table through the outbox (the test app's worker is off).
    await session.app.platform.worker.drain();
    await page.goto(`${APPLY}/benefit`);
    await checkAccessibility(page, 'DWP answered');
    expect(
      await page.getByText('you get a benefit that qualifies for free school meals').count(),
    ).toBeGreaterThan(0);
    await navigate(page, 'check your answers', () =>
      page.getByRole('button', { name: 'Continue' }).click(),
    );
    await navigate(page, 'declaration', () =>
      page.getByRole('button', { name: 'Continue' }).click(),
    );
    await page.getByLabel('I agree').check();
    await navigate(page, 'decided at once', () =>
      page.getByRole('button', { name: 'Accept and send' }).click(),
    );

    expect(new URL(page.url()).pathname).toMatch(/^\/applications\/JU-[A-Z0-9-]+\/confirmation$/);
    expect(await page.getByRole('heading', { name: 'Application sent' }).isVisible()).toBe(true);
    expect(await page.getByText('Your application has been approved.').isVisible()).toBe(true);
    expect(
      await page
        .getByText(
          'Your child can get free school meals because DWP told us you get a qualifying benefit and your child goes to a state-funded school in Gloucestershire.',
        )
        .isVisible(),
    ).toBe(true);
    expect(await page.getByText(/This decision was made automatically/).isVisible()).toBe(true);
    const reference = new URL(page.url()).pathname.split('/')[2]!;
    const sent = await db
      .selectFrom('submissions')
      .select(['status', 'rule_set_version_id'])
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    expect(sent.status).toBe('decided');
    expect(sent.rule_set_version_id).not.toBeNull();

    await page.goto(`/applications/${reference}/confirmation?lang=cy`);
    await checkAccessibility(page, 'decided at once, in Welsh');
    expect(await page.getByText('Mae eich cais wedi’i gymeradwyo.').isVisible()).toBe(true);
    await page.goto(`/applications/${reference}/confirmation?lang=en`);

    await navigate(page, 'ask for a review', () =>
      page.getByRole('link', { name: 'Ask for a person to review this decision' }).click(),
    );
    await page
      .getByLabel('Why do you want a person to review it? (optional)')
      .fill('I want a person to check it.');
    await navigate(page, 'review asked for', () =>
      page.getByRole('button', { name: 'Ask for a review' }).click(),
    );
    expect(await page.getByText('You asked for a person to review this decision').isVisible()).toBe(
      true,
    );
    expect(checkedPages).toHaveLength(13);
  }, 120_000);
});
