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
    await page
      .locator('#body')
      .fill(
        '# The two sites\nWe have two sites in mind.\n\n# What we ask you\nTell us which you prefer.',
      );
    await page.locator('#audience').fill('People who use buses in Stroud');
    await page.locator('#topic').selectOption('transport');
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
      expect(await personPage.getByText('We have two sites in mind.').isVisible()).toBe(true);
      // The document's second page, from the pagination (GOV.UK contents list on each page).
      await navigate(personPage, 'the document’s second page', () =>
        personPage.getByRole('link', { name: /^Nesaf/ }).click(),
      );
      expect(personPage.url()).toMatch(/\/pages\/2$/);
      expect(await personPage.getByText('Tell us which you prefer.').isVisible()).toBe(true);
      expect(await personPage.getByText('We have two sites in mind.').count()).toBe(0);
      expect(
        await personPage.getByRole('navigation', { name: 'Cynnwys' }).getByRole('link').count(),
      ).toBe(1);
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
    expect(checkedPages.length).toBeGreaterThanOrEqual(15);
  }, 120_000);

  it('a held response is moderated and tagged, and the outcome published: axe-clean', async () => {
    const { page, browser, app } = session;
    const { checkedPages, checkAccessibility, navigate } = accessibilityChecker();
    const db = app.platform.database.db;
    const stroud = await db
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', 'stroud')
      .executeTakeFirstOrThrow();
    const { id } = await db
      .insertInto('consultations')
      .values({
        organisation_id: stroud.id,
        title: 'Litter bins on the high street',
        summary: 'Do we need more bins?',
        body: 'We propose twenty new bins.',
        audience: 'Everyone in Stroud',
        opens_on: ukToday(),
        closes_on: ukToday(),
        questions: JSON.stringify([{ kind: 'text', text: 'What do you think?' }]),
        easy_read: 'We want more bins.',
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    // Someone responds with abuse and asks to be told of the outcome.
    const person = await newPersonContext(browser, app.baseUrl);
    const personPage = await person.newPage();
    try {
      await navigate(personPage, 'easy read', () =>
        personPage.goto(`/consultations/${id}?version=easy-read`),
      );
      await navigate(personPage, 'about you', () =>
        personPage.goto(`/consultations/${id}/respond`),
      );
      await personPage.getByLabel('As an individual').check();
      await navigate(personPage, 'the question', () =>
        personPage.getByRole('button', { name: 'Continue' }).click(),
      );
      await personPage.getByLabel('What do you think?').fill('The bin men are wankers');
      await navigate(personPage, 'save for later', () =>
        personPage.getByRole('button', { name: 'Save and come back later' }).click(),
      );
      await navigate(personPage, 'save for later, with an error', () =>
        personPage.getByRole('button', { name: 'Send me the link' }).click(),
      );
      expect(await personPage.locator('.govuk-error-summary').isVisible()).toBe(true);
      await navigate(personPage, 'check answers', () =>
        personPage.goto(`/consultations/${id}/respond/check`),
      );
      await personPage.getByLabel('E-mail me when the outcome is published').check();
      await personPage.getByLabel('Email address').fill('bins@example.com');
      await navigate(personPage, 'sent, held', () =>
        personPage.getByRole('button', { name: 'Send response' }).click(),
      );
      expect(await personPage.getByText('read by a moderator').isVisible()).toBe(true);
    } finally {
      await person.close();
    }

    // The service owner reviews it: a redaction with an error, then a good one, then releases it.
    await navigate(page, 'results with a held response', () =>
      page.goto(`/staff/consultations/${id}`),
    );
    expect(await page.getByText('Held for moderation: 1').isVisible()).toBe(true);
    expect(await page.getByText('wankers').count()).toBe(0);
    await navigate(page, 'the held response', () =>
      page.getByRole('link', { name: /^Review/ }).click(),
    );
    await navigate(page, 'redaction with errors', () =>
      page.getByRole('button', { name: 'Redact' }).click(),
    );
    expect(await page.locator('.govuk-error-summary').isVisible()).toBe(true);
    await page.getByLabel('Question 1 of 1').check();
    await page.getByLabel('Abuse').check();
    await page.getByLabel('Passages to redact').fill('wankers');
    await navigate(page, 'redacted', () => page.getByRole('button', { name: 'Redact' }).click());
    await navigate(page, 'released', () =>
      page.getByRole('button', { name: 'Release response' }).click(),
    );
    expect(await page.getByText('The bin men are [redacted]').isVisible()).toBe(true);

    // Themes: one added, the answer tagged.
    await navigate(page, 'themes', () => page.getByRole('link', { name: 'Themes' }).click());
    await page.getByLabel('Add a theme').fill('Staff');
    await navigate(page, 'a theme added', () =>
      page.getByRole('button', { name: 'Add theme' }).click(),
    );
    await navigate(page, 'results again', () => page.goto(`/staff/consultations/${id}`));
    await navigate(page, 'the response', () => page.getByRole('link', { name: /^Open/ }).click());
    await page.getByLabel('Staff').check();
    await navigate(page, 'tagged', () => page.getByRole('button', { name: 'Save themes' }).click());

    // Once closed, the outcome.
    const yesterday = new Date(`${ukToday()}T12:00:00Z`);
    yesterday.setUTCDate(yesterday.getUTCDate() - 1);
    const day = yesterday.toISOString().slice(0, 10);
    await db
      .updateTable('consultations')
      .set({ opens_on: day, closes_on: day })
      .where('id', '=', id)
      .execute();
    await navigate(page, 'outcome form', () => page.goto(`/staff/consultations/${id}/outcome`));
    await page.getByLabel('Publish the outcome: you said, we did').fill('We will add ten bins.');
    await navigate(page, 'outcome published', () =>
      page.getByRole('button', { name: 'Publish the outcome' }).click(),
    );
    await navigate(page, 'public page with the outcome', () => page.goto(`/consultations/${id}`));
    expect(await page.getByText('We will add ten bins.').isVisible()).toBe(true);
    await navigate(page, 'withdraw form', () => page.goto(`/staff/consultations/${id}/withdraw`));
    await checkAccessibility(page, 'done');
    expect(checkedPages.length).toBeGreaterThanOrEqual(18);
  }, 120_000);
});
