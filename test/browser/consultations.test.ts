import { describe, expect, it } from 'vitest';
import { ukToday } from '../../src/platform/validation/validators.js';
import { accessibilityChecker, browserSession, newPersonContext } from '../helpers/browser.js';

const session = browserSession();

describe('publishing and responding to a consultation in a browser', () => {
  it('a service owner publishes one; someone responds in Welsh for an organisation; staff read it: axe-clean', async () => {
    const { page, browser, app } = session;
    const { checkedPages, checkAccessibility, navigate } = accessibilityChecker();
    const title = 'A new bus station for Stroud';
    const [year, month, day] = ukToday().split('-');

    // Stroud's service owner publishes it.
    await navigate(page, 'owner sign in', () =>
      page.goto('/sign-in?returnTo=%2Fstaff%2Fconsultations%2Fnew'),
    );
    await page.getByLabel('E-mail address').fill('owner@stroud.example.gov.uk');
    await page.getByLabel('Password', { exact: true }).fill('demo-stroud-service-owner');
    await navigate(page, 'publish form', () =>
      page.getByRole('button', { name: 'Sign in' }).click(),
    );
    await navigate(page, 'publish form with errors', () =>
      page.getByRole('button', { name: 'Publish consultation' }).click(),
    );
    expect(await page.locator('.govuk-error-summary').isVisible()).toBe(true);
    await page.locator('#title').fill(title);
    await page.locator('#summary').fill('Where should the new bus station go?');
    await page.locator('#body').fill('We have two sites in mind.\n\nTell us which you prefer.');
    await page.locator('#audience').fill('People who use buses in Stroud');
    for (const prefix of ['opensOn', 'closesOn']) {
      await page.locator(`#${prefix}-day`).fill(String(Number(day)));
      await page.locator(`#${prefix}-month`).fill(String(Number(month)));
      await page.locator(`#${prefix}-year`).fill(year!);
    }
    await page.locator('#area').check();
    await page.locator('#signIn').check();
    await page.locator('#q1-text').fill('Which site do you prefer?');
    await page.locator('#q1-kind-2').check();
    await page.locator('#q1-options').fill('Merrywalks\nThe station car park');
    await page.locator('#q2-text').fill('Anything else?');
    await page.locator('#q2-kind').check();
    await navigate(page, 'published', () =>
      page.getByRole('button', { name: 'Publish consultation' }).click(),
    );
    expect(await page.getByText('The consultation is published.').isVisible()).toBe(true);

    // Someone without an account responds in Welsh.
    const person = await newPersonContext(browser, app.baseUrl);
    const personPage = await person.newPage();
    try {
      await navigate(personPage, 'list in Welsh', () => personPage.goto('/consultations?lang=cy'));
      await navigate(personPage, 'the consultation', () =>
        personPage.getByRole('link', { name: title }).click(),
      );
      await navigate(personPage, 'about you', () =>
        personPage.getByRole('button', { name: "Ymateb i'r ymgynghoriad hwn" }).click(),
      );
      await navigate(personPage, 'about you, with an error', () =>
        personPage.getByRole('button', { name: 'Parhau' }).click(),
      );
      expect(await personPage.locator('.govuk-error-summary').isVisible()).toBe(true);
      await personPage.getByLabel('Ar ran sefydliad').check();
      await personPage.getByLabel("Enw'r sefydliad").fill('Cymdeithas Bysiau Stroud');
      await navigate(personPage, 'question 1', () =>
        personPage.getByRole('button', { name: 'Parhau' }).click(),
      );
      expect(await personPage.getByText('Cwestiwn 1 o 2').isVisible()).toBe(true);
      await navigate(personPage, 'question 1, with an error', () =>
        personPage.getByRole('button', { name: 'Parhau' }).click(),
      );
      expect(await personPage.getByText("Dewiswch un o'r atebion").first().isVisible()).toBe(true);
      await personPage.getByLabel('Merrywalks').check();
      await navigate(personPage, 'question 2', () =>
        personPage.getByRole('button', { name: 'Parhau' }).click(),
      );
      await personPage.getByLabel('Anything else?').fill('Mwy o feinciau, os gwelwch yn dda.');
      await navigate(personPage, 'check answers', () =>
        personPage.getByRole('button', { name: 'Parhau' }).click(),
      );
      expect(
        await personPage
          .getByRole('heading', { name: 'Gwiriwch eich atebion cyn anfon eich ymateb' })
          .isVisible(),
      ).toBe(true);
      expect(await personPage.getByText('Ar ran Cymdeithas Bysiau Stroud').isVisible()).toBe(true);
      await navigate(personPage, 'sent', () =>
        personPage.getByRole('button', { name: 'Anfon ymateb' }).click(),
      );
      expect(
        await personPage.getByRole('heading', { name: "Ymateb wedi'i anfon" }).isVisible(),
      ).toBe(true);
      expect(await personPage.getByText(/^C-[A-Z0-9]{8}$/).isVisible()).toBe(true);
    } finally {
      await person.close();
    }

    // The service owner reads the results.
    await navigate(page, 'staff list', () => page.goto('/staff/consultations'));
    await navigate(page, 'results', () => page.getByRole('link', { name: title }).click());
    expect(await page.getByText('Responses sent: 1').isVisible()).toBe(true);
    expect(await page.getByText('Mwy o feinciau, os gwelwch yn dda.').isVisible()).toBe(true);
    await checkAccessibility(page, 'done');
    expect(checkedPages.length).toBeGreaterThanOrEqual(14);
  }, 120_000);
});
