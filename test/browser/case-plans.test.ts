import type { BrowserContext, Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../src/main/seed.js';
import { londonDate } from '../../src/platform/time/london.js';
import { accessibilityChecker, browserSession, newPersonContext } from '../helpers/browser.js';

const session = browserSession();

const account = (email: string) => {
  const found = DEMO_ACCOUNTS.find((a) => a.email === email);
  if (!found) throw new Error(`No demo account ${email}`);
  return found;
};
const LEAD = account('caseworker@stroud.example.gov.uk');
const CHELTENHAM = account('caseworker@cheltenham.example.gov.uk');
const COUNTY = account('caseworker@gloucestershire.example.gov.uk');

/** Day, month and year of a London date `days` from today. */
function inDays(days: number) {
  const [year, month, day] = londonDate(new Date(Date.now() + days * 86_400_000)).split('-');
  return { day: String(Number(day)), month: String(Number(month)), year: year! };
}

async function fillDate(scope: Page | Locator, prefix: string, days: number) {
  const date = inDays(days);
  await scope.locator(`#${prefix}-day`).fill(date.day);
  await scope.locator(`#${prefix}-month`).fill(date.month);
  await scope.locator(`#${prefix}-year`).fill(date.year);
}

/**
 * A multi-agency case plan in Chromium, axe on every page: Stroud's caseworker (the lead) opens a
 * plan and invites Cheltenham and Gloucestershire; a caseworker of each, in a browser of their
 * own, accepts; the lead gives each body an action; each body's caseworker completes its own
 * (Gloucestershire first corrects its description); the lead sees both done and closes the plan.
 */
describe('a multi-agency case plan in a browser', () => {
  it(
    'the lead opens a plan, invites two bodies, each accepts and completes its action, the lead closes it: axe-clean',
    { timeout: 240_000 },
    async () => {
      const { page: lead, browser, app } = session;
      const { checkedPages, navigate } = accessibilityChecker();
      const contexts: BrowserContext[] = [];
      try {
        const signIn = async (p: Page, who: { email: string; password: string }, to: string) => {
          await navigate(p, `sign in as ${who.email}`, () =>
            p.goto(`/sign-in?returnTo=${encodeURIComponent(to)}`),
          );
          await p.getByLabel('E-mail address').fill(who.email);
          await p.getByLabel('Password', { exact: true }).fill(who.password);
          await navigate(p, `${who.email}: ${to}`, () =>
            p.getByRole('button', { name: 'Sign in' }).click(),
          );
          expect(new URL(p.url()).pathname).toBe(to);
        };
        const another = async () => {
          const context = await newPersonContext(browser, app.baseUrl);
          contexts.push(context);
          return context.newPage();
        };

        // The lead opens the plan.
        await signIn(lead, LEAD, '/staff/case-plans');
        await navigate(lead, 'open a case plan', () =>
          lead.getByRole('link', { name: 'Open a case plan' }).click(),
        );
        await navigate(lead, 'open a case plan, with errors', () =>
          lead.getByRole('button', { name: 'Open the case plan' }).click(),
        );
        expect(await lead.locator('.govuk-error-summary').isVisible()).toBe(true);
        await lead.getByLabel('Family support').check();
        await lead.getByLabel('Full name').fill('Sam Household');
        await lead.getByLabel('Summary').fill('Rent arrears and a child out of school');
        await navigate(lead, 'the new plan', () =>
          lead.getByRole('button', { name: 'Open the case plan' }).click(),
        );
        const planPath = new URL(lead.url()).pathname;
        expect(planPath).toMatch(/^\/staff\/case-plans\/CP-[A-Z0-9]{8}$/);
        const reference = planPath.split('/').pop()!;

        // The lead invites both bodies under a safeguarding duty, sharing the plan and actions.
        for (const body of ['Cheltenham Borough Council', 'Gloucestershire County Council']) {
          await lead.getByText('Invite a body, sensitivity and what the person sees').click();
          const invite = lead.locator('form[action$="/invite"]');
          await invite.getByLabel('Body', { exact: true }).selectOption({ label: body });
          await invite.getByLabel('Safeguarding duty').check();
          await invite.getByLabel('Consent wording or statute').fill('Children Act 2004 s.11');
          await invite.getByLabel('Plan and actions').check();
          await navigate(lead, `invited ${body}`, () =>
            invite.getByRole('button', { name: 'Invite the body' }).click(),
          );
          expect(await lead.locator('.govuk-notification-banner').innerText()).toContain('Saved');
        }
        expect(await lead.locator('main table').first().innerText()).toMatch(
          /Cheltenham Borough Council\s+Invited[\s\S]*Gloucestershire County Council\s+Invited/,
        );

        // A caseworker of each body, in their own browser, accepts the invitation.
        const cheltenham = await another();
        const county = await another();
        for (const [p, who] of [
          [cheltenham, CHELTENHAM],
          [county, COUNTY],
        ] as const) {
          await signIn(p, who, '/staff/case-plans');
          await navigate(p, `${who.email}: invitation`, () =>
            p.getByRole('link', { name: reference }).click(),
          );
          expect(new URL(p.url()).pathname).toBe(`${planPath}/invitation`);
          // Before accepting, no personal details.
          expect(await p.locator('main').innerText()).not.toContain('Sam Household');
          await p.getByLabel('Accept').check();
          await navigate(p, `${who.email}: accepted, the plan`, () =>
            p.getByRole('button', { name: 'Continue' }).click(),
          );
          expect(new URL(p.url()).pathname).toBe(planPath);
          expect(await p.locator('main').innerText()).toContain('Sam Household');
        }

        // The lead gives each body an action.
        await navigate(lead, 'the plan, both taking part', () => lead.goto(planPath));
        for (const [body, description] of [
          ['Cheltenham Borough Council', 'Agree a plan to clear the rent arrears'],
          ['Gloucestershire County Council', 'Find a school place'],
        ] as const) {
          const add = lead.locator('form[action$="/actions"]');
          await add.getByLabel('Owning body').selectOption({ label: body });
          await add.getByLabel('Action', { exact: true }).fill(description);
          await add.getByLabel('Person responsible').fill('Named officer');
          await fillDate(add, 'dueOn', 14);
          await navigate(lead, `action for ${body}`, () =>
            add.getByRole('button', { name: 'Add an action' }).click(),
          );
          expect(await lead.locator('#plan + table').innerText()).toContain(description);
        }

        // Gloucestershire corrects its action's description, then each body completes its own.
        await navigate(county, 'county: the plan with its action', () => county.goto(planPath));
        await navigate(county, 'county: edit its action', () =>
          county.getByRole('link', { name: 'Edit Find a school place' }).click(),
        );
        await county.getByLabel('Action', { exact: true }).fill('');
        await navigate(county, 'county: edit its action, with errors', () =>
          county.getByRole('button', { name: 'Save' }).click(),
        );
        expect(await county.locator('.govuk-error-summary').innerText()).toContain(
          'Enter the action',
        );
        await county.getByLabel('Action', { exact: true }).fill('Find a school place near home');
        await navigate(county, 'county: action edited', () =>
          county.getByRole('button', { name: 'Save' }).click(),
        );
        for (const [p, description, outcome] of [
          [cheltenham, 'Agree a plan to clear the rent arrears', 'Repayment plan agreed'],
          [county, 'Find a school place near home', 'Starts at Uplands on Monday'],
        ] as const) {
          await navigate(p, `${description}: the plan`, () => p.goto(planPath));
          const row = p.locator('tr', { hasText: description });
          await row.getByLabel('Status').selectOption({ label: 'Done' });
          await row.getByLabel('Outcome').fill(outcome);
          await navigate(p, `${description}: done`, () =>
            row.getByRole('button', { name: 'Save' }).click(),
          );
          expect(await p.locator('.govuk-notification-banner').innerText()).toContain('Saved');
          const saved = p.locator('tr', { hasText: description });
          expect(await saved.getByLabel('Status').inputValue()).toBe('done');
          expect(await saved.innerText()).toContain(outcome);
        }
        // Cheltenham sees only the actions shared with it: both (the plan is shared), its own editable.
        const chelt = await cheltenham.locator('#plan + table').innerText();
        expect(chelt).toContain('Find a school place near home');

        // The lead sees both done, then closes the plan.
        await navigate(lead, 'the plan, both actions done', () => lead.goto(planPath));
        const actions = lead.locator('#plan + table');
        for (const description of [
          'Agree a plan to clear the rent arrears',
          'Find a school place near home',
        ])
          expect(
            await actions.locator('tr', { hasText: description }).getByLabel('Status').inputValue(),
          ).toBe('done');
        await navigate(lead, 'close the plan', () =>
          lead.getByRole('button', { name: 'Close the plan' }).click(),
        );
        await navigate(lead, 'close the plan, with errors', () =>
          lead.getByRole('button', { name: 'Close the plan' }).click(),
        );
        expect(await lead.locator('.govuk-error-summary').isVisible()).toBe(true);
        await lead.getByLabel('Needs met: the aims of the plan were achieved').check();
        await lead.getByLabel('Reason').fill('The arrears are being repaid and Sam is in school.');
        await navigate(lead, 'the plan, closed', () =>
          lead.getByRole('button', { name: 'Close the plan' }).click(),
        );
        expect(await lead.locator('#closed').innerText()).toContain('This case plan was closed on');
        expect(await lead.locator('form[action$="/actions"]').count()).toBe(0);
        await navigate(county, 'county: the plan, closed', () => county.goto(planPath));
        expect(await county.locator('main').innerText()).toContain('A closed plan is read-only');
        expect(await county.getByRole('button', { name: 'Save' }).count()).toBe(0);

        // The same page in Welsh.
        await navigate(county, 'county: the plan, closed, in Welsh', () =>
          county.goto(`${planPath}?lang=cy`),
        );
        expect(await county.locator('html').getAttribute('lang')).toBe('cy');
        expect(await county.locator('main').innerText()).toContain(
          'Cafodd y cynllun achos hwn ei gau',
        );

        // The outcome figures on the public performance page: one family-support plan, so suppressed.
        await navigate(lead, 'performance: case plan outcomes', () => lead.goto('/performance'));
        const family = lead.locator('#case-plans + table tr', { hasText: 'Family support' });
        expect(await family.locator('td').first().innerText()).toBe('fewer than 5');

        expect(checkedPages.length).toBe(33);
      } finally {
        for (const context of contexts) await context.close();
      }
    },
  );
});
