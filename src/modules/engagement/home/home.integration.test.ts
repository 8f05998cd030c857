import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../test/helpers/app.js';
import { aSignedInCitizen } from '../../../../test/helpers/citizens.js';
import { mailsTo } from '../../../../test/helpers/outbox.js';
import { authoritiesOfPostcodeDistrict } from '../../address/index.js';
import { engagementModule } from '../index.js';
import { moderatePetition } from '../petitions/commands/petitions.js';
import { tellSubscribersOfPetition } from './commands/subscriptions.js';
import { SUBSCRIPTIONS_PER_ADDRESS_PER_HOUR } from './pages/routes.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const db = () => app.platform.database.db;

// Every test's subscribers post from 127.0.0.1: each test starts with that address's hour fresh.
beforeEach(async () => {
  if (app)
    await db().deleteFrom('rate_limits').where('key', 'like', 'engagement:subscribe:%').execute();
});

async function organisationId(slug: string): Promise<string> {
  const row = await db()
    .selectFrom('organisations')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
  return row.id;
}

let made = 0;

/** A pending petition to a body, straight into the table (starting one is tested by petitions). */
async function pending(slug: string, title = `Petition number ${++made} to ${slug}`) {
  const row = await db()
    .insertInto('petitions')
    .values({
      organisation_id: await organisationId(slug),
      creator_name: 'Pat Petitioner',
      title,
      action: 'Do the thing this petition asks for.',
      background: 'Because it matters to many people.',
      language: 'en',
    })
    .returning(['id', 'title'])
    .executeTakeFirstOrThrow();
  return row;
}

/** Publishes a pending petition as its body's moderators would, and runs the outbox. */
async function publish(id: string): Promise<void> {
  const done = await db()
    .transaction()
    .execute((trx) =>
      moderatePetition(
        trx,
        { userId: null, organisationId: null, role: 'caseworker' },
        id,
        { decision: 'publish' },
        new Date(),
        app.baseUrl,
      ),
    );
  expect(done).toBe(true);
  await app.platform.worker.drain();
}

/** Someone fills in the subscribe form (with the page's CSRF token). */
async function subscribeForm(fields: Record<string, string>, visitor = new Visitor(app.baseUrl)) {
  await visitor.get('/engage/subscribe');
  return visitor.post('/engage/subscribe', fields);
}

/** The path of the newest link to `/engage/subscriptions/<action>` in mail to `email`. */
async function linkIn(email: string, action: 'confirm' | 'unsubscribe'): Promise<string> {
  const mail = (await mailsTo(db(), email)).at(-1);
  const match = new RegExp(
    `https?://[^/\\s]+(/engage/subscriptions/${action}\\?token=[\\w-]+)`,
  ).exec(mail?.text ?? '');
  if (!match) throw new Error(`No ${action} link for ${email}: ${mail?.text}`);
  return match[1]!;
}

/** Follows an e-mailed link and presses its button. */
async function follow(path: string) {
  const visitor = new Visitor(app.baseUrl);
  const page = await visitor.get(path);
  expect(page.status).toBe(200);
  const token = new URL(path, app.baseUrl).searchParams.get('token')!;
  return visitor.post(path.split('?')[0]!, { token });
}

async function subscribed(fields: Record<string, string>) {
  const response = await subscribeForm(fields);
  expect(response.status, response.html).toBe(303);
  expect(response.headers.get('location')).toBe('/engage/subscribe/sent');
  const confirmed = await follow(await linkIn(fields.email!, 'confirm'));
  expect(confirmed.status, confirmed.html).toBe(200);
  expect(confirmed.html).toContain('Subscription confirmed');
}

async function newPetitionMails(email: string, title: string) {
  return (await mailsTo(db(), email)).filter((m) => m.subject === `New petition: ${title}`);
}

describe('the engagement home page', () => {
  it('lists open petitions to national bodies, is in the navigation for everyone, and in Welsh', async () => {
    const national = await pending('dwp', 'Keep the Stroud jobcentre open on Saturdays');
    await publish(national.id);
    const stillPending = await pending('cabinet-office', 'A petition nobody has checked yet');
    const visitor = new Visitor(app.baseUrl);
    const page = await visitor.get('/engage');
    expect(page.status).toBe(200);
    expect(page.html).toContain('<h1 class="govuk-heading-l">Have your say</h1>');
    expect(page.html).toContain('href="/engage"');
    expect(page.html).toContain('Keep the Stroud jobcentre open on Saturdays');
    expect(page.html).toContain('To Department for Work and Pensions');
    // Local petitions only with a postcode; pending ones never.
    expect(page.html).not.toContain('Reopen the Stratford Park lido');
    expect(page.html).not.toContain(stillPending.title);
    const citizen = await aSignedInCitizen(app);
    expect((await citizen.visitor.get('/account')).html).toContain('href="/engage"');
    const welsh = await visitor.get('/engage?lang=cy');
    expect(welsh.html).toContain('Dweud eich dweud');
    expect(welsh.html).toContain('At Yr Adran Gwaith a Phensiynau');
  });

  it('with a postcode, adds the open petitions to the councils serving it, and only those', async () => {
    const stroud = await new Visitor(app.baseUrl).get('/engage?postcode=gl5+4ub');
    expect(stroud.status).toBe(200);
    expect(stroud.html).toContain('Open petitions to the councils serving GL5 4UB');
    expect(stroud.html).toContain('Reopen the Stratford Park lido for summer swimming');
    expect(stroud.html).toContain('Keep the Stroud jobcentre open on Saturdays');
    const cheltenham = await new Visitor(app.baseUrl).get('/engage?postcode=GL50%201PP');
    expect(cheltenham.status).toBe(200);
    expect(cheltenham.html).toContain(
      'There are no open petitions to the councils serving GL50 1PP.',
    );
    expect(cheltenham.html).not.toContain('Reopen the Stratford Park lido');
    expect(cheltenham.html).toContain('Keep the Stroud jobcentre open on Saturdays');
  });

  it('a bad postcode gets a 400 with an error summary and the national list still', async () => {
    for (const [typed, message] of [
      ['', 'Enter a postcode'],
      ['not a postcode', 'Enter a full UK postcode, like GL5 4UB'],
      ['ZE1 0AA', 'We cannot find the postcode ZE1 0AA'],
    ] as const) {
      const page = await new Visitor(app.baseUrl).get(
        `/engage?postcode=${encodeURIComponent(typed)}`,
      );
      expect(page.status, typed).toBe(400);
      expect(page.html).toContain('govuk-error-summary');
      expect(page.html).toContain('href="#postcode"');
      expect(page.html).toContain(message);
      expect(page.html).toContain('Keep the Stroud jobcentre open on Saturdays');
    }
    const welsh = await new Visitor(app.baseUrl).get('/engage?postcode=nope&lang=cy');
    expect(welsh.status).toBe(400);
    expect(welsh.html).toContain('Rhowch god post llawn yn y DU');
  });
});

describe('subscriptions to new petitions', () => {
  it('knows which councils a postcode district reaches', async () => {
    expect(await authoritiesOfPostcodeDistrict(db(), 'GL5')).toEqual(
      expect.arrayContaining(['E07000082', 'E10000013']),
    );
    expect(await authoritiesOfPostcodeDistrict(db(), 'GL50')).not.toContain('E07000082');
    expect(await authoritiesOfPostcodeDistrict(db(), 'gl5; drop')).toEqual([]);
  });

  it('refuses malformed and disposable addresses, an unknown body and a missing area, keeping nothing', async () => {
    const before = await db()
      .selectFrom('engagement_subscriptions')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    for (const [fields, message] of [
      [
        { email: 'not-an-address', area: 'national' },
        'Enter an email address in the correct format',
      ],
      [{ email: 'burner@Mailinator.com', area: 'national' }, 'disposable addresses cannot be used'],
      [{ email: 'ok@example.com', area: '' }, 'Select near a postcode or nationally'],
      [
        { email: 'ok@example.com', area: 'postcode', postcode: 'nowhere' },
        'Enter a full UK postcode',
      ],
      [
        {
          email: 'ok@example.com',
          area: 'national',
          organisationId: '00000000-0000-0000-0000-000000000000',
        },
        'Select a body from the list',
      ],
    ] as const) {
      const response = await subscribeForm(fields);
      expect(response.status).toBe(400);
      expect(response.html).toContain('govuk-error-summary');
      expect(response.html).toContain(message);
    }
    const after = await db()
      .selectFrom('engagement_subscriptions')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect(await mailsTo(db(), 'ok@example.com')).toEqual([]);
  });

  it('e-mails confirmed subscribers a new petition that matches, once each; never the unconfirmed or others', async () => {
    const stroudId = await organisationId('stroud');
    await subscribed({ email: 'near@example.com', area: 'postcode', postcode: 'GL5 4UB' });
    await subscribed({
      email: 'Body@Example.com'.toLowerCase(),
      area: 'national',
      organisationId: stroudId,
    });
    // Two subscriptions of one address that both match: still one e-mail.
    await subscribed({ email: 'twice@example.com', area: 'postcode', postcode: 'GL5 1AA' });
    await subscribed({
      email: 'twice@example.com',
      area: 'postcode',
      postcode: 'GL5 4UB',
      organisationId: stroudId,
    });
    await subscribed({ email: 'cheltenham@example.com', area: 'postcode', postcode: 'GL50 1PP' });
    await subscribed({ email: 'national@example.com', area: 'national' });
    const unconfirmed = await subscribeForm({
      email: 'unconfirmed@example.com',
      area: 'postcode',
      postcode: 'GL5 4UB',
    });
    expect(unconfirmed.status).toBe(303);

    const petition = await pending('stroud', 'Plant trees along the Stroud canal towpath');
    await publish(petition.id);
    for (const email of [
      'near@example.com',
      'body@example.com',
      'twice@example.com',
      'national@example.com',
    ])
      expect(await newPetitionMails(email, petition.title), email).toHaveLength(1);
    for (const email of ['cheltenham@example.com', 'unconfirmed@example.com'])
      expect(await newPetitionMails(email, petition.title), email).toHaveLength(0);
    const mail = (await newPetitionMails('near@example.com', petition.title))[0]!;
    expect(mail.text).toContain(`/petitions/${petition.id}`);
    expect(mail.text).toContain('/engage/subscriptions/unsubscribe?token=');

    // Running the handler again (a retried outbox message) sends nothing more.
    await db()
      .transaction()
      .execute((trx) => tellSubscribersOfPetition(trx, petition.id, app.baseUrl));
    await app.platform.worker.drain();
    expect(await newPetitionMails('near@example.com', petition.title)).toHaveLength(1);
    expect(await newPetitionMails('twice@example.com', petition.title)).toHaveLength(1);

    // A national body's petition reaches national subscribers and those of any district, not
    // those who chose another body.
    const national = await pending(
      'cabinet-office',
      'Publish every council’s spending in one place',
    );
    await publish(national.id);
    expect(await newPetitionMails('national@example.com', national.title)).toHaveLength(1);
    expect(await newPetitionMails('cheltenham@example.com', national.title)).toHaveLength(1);
    expect(await newPetitionMails('body@example.com', national.title)).toHaveLength(0);
    // A rejected petition reaches nobody.
    const rejected = await pending('stroud', 'A petition the council turns down');
    await db()
      .transaction()
      .execute((trx) =>
        moderatePetition(
          trx,
          { userId: null, organisationId: null, role: 'caseworker' },
          rejected.id,
          { decision: 'reject', reason: 'unclear', detail: '' },
          new Date(),
          app.baseUrl,
        ),
      );
    await app.platform.worker.drain();
    expect(await newPetitionMails('near@example.com', rejected.title)).toHaveLength(0);
  });

  it('the unsubscribe link in every e-mail ends the subscription; a made-up token changes nothing', async () => {
    await subscribed({ email: 'leaving@example.com', area: 'postcode', postcode: 'GL5 4UB' });
    const first = await pending('stroud', 'Light the Stroud cycle path in winter');
    await publish(first.id);
    expect(await newPetitionMails('leaving@example.com', first.title)).toHaveLength(1);

    const forged = await new Visitor(app.baseUrl).get('/engage/subscriptions/unsubscribe?token=x');
    expect(forged.status).toBe(200);
    const visitor = new Visitor(app.baseUrl);
    await visitor.get(
      '/engage/subscriptions/unsubscribe?token=abcdefghijklmnopqrstuvwxyz0123456789',
    );
    const refused = await visitor.post('/engage/subscriptions/unsubscribe', {
      token: 'abcdefghijklmnopqrstuvwxyz0123456789',
    });
    expect(refused.status).toBe(404);
    expect(refused.html).toContain('This link does not work');
    const kept = await db()
      .selectFrom('engagement_subscriptions')
      .select('id')
      .where('email', '=', 'leaving@example.com')
      .execute();
    expect(kept).toHaveLength(1);

    const done = await follow(await linkIn('leaving@example.com', 'unsubscribe'));
    expect(done.status).toBe(200);
    expect(done.html).toContain('You have unsubscribed');
    const gone = await db()
      .selectFrom('engagement_subscriptions')
      .select('id')
      .where('email', '=', 'leaving@example.com')
      .execute();
    expect(gone).toEqual([]);
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('resource_id', '=', kept[0]!.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'engagement.subscribed',
      'engagement.subscription-confirmed',
      'engagement.unsubscribed',
    ]);
    const second = await pending('stroud', 'Open the Stroud library on Sundays');
    await publish(second.id);
    expect(await newPetitionMails('leaving@example.com', second.title)).toHaveLength(0);
  });

  it('a made-up confirmation link confirms nothing; subscribing again once confirmed changes nothing', async () => {
    const visitor = new Visitor(app.baseUrl);
    await visitor.get('/engage/subscriptions/confirm?token=abcdefghijklmnopqrstuvwxyz0123456789');
    const refused = await visitor.post('/engage/subscriptions/confirm', {
      token: 'abcdefghijklmnopqrstuvwxyz0123456789',
    });
    expect(refused.status).toBe(404);
    await subscribed({ email: 'again@example.com', area: 'national' });
    const again = await subscribeForm({ email: 'AGAIN@example.com', area: 'national' });
    expect(again.status).toBe(303);
    const mails = await mailsTo(db(), 'again@example.com');
    expect(mails.at(-1)!.subject).toBe('You are already subscribed to new petitions');
    const rows = await db()
      .selectFrom('engagement_subscriptions')
      .select(['confirmed_at', 'district'])
      .where('email', '=', 'again@example.com')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.confirmed_at).not.toBeNull();
    expect(rows[0]!.district).toBeNull();
  });

  it('one address subscribing too often is refused with a 429, keeping and sending nothing', async () => {
    for (let i = 1; i <= SUBSCRIPTIONS_PER_ADDRESS_PER_HOUR; i++)
      expect(
        (await subscribeForm({ email: `many-${i}@example.com`, area: 'national' })).status,
      ).toBe(303);
    const refused = await subscribeForm({ email: 'one-too-many@example.com', area: 'national' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.html).toContain('Too many requests from your connection');
    expect(await mailsTo(db(), 'one-too-many@example.com')).toEqual([]);
    const stored = await db()
      .selectFrom('engagement_subscriptions')
      .select('id')
      .where('email', '=', 'one-too-many@example.com')
      .execute();
    expect(stored).toEqual([]);
  });

  it('the subscribe form and its e-mail are in Welsh', async () => {
    const visitor = new Visitor(app.baseUrl);
    const form = await visitor.get('/engage/subscribe?lang=cy');
    expect(form.html).toContain('Cael e-bost am ddeisebau newydd');
    const response = await visitor.post('/engage/subscribe?lang=cy', {
      email: 'cymraeg@example.com',
      area: 'postcode',
      postcode: 'CF10 4UW',
    });
    expect(response.status).toBe(303);
    expect((await mailsTo(db(), 'cymraeg@example.com')).at(-1)!.subject).toBe(
      'Cadarnhewch eich tanysgrifiad i ddeisebau newydd',
    );
    const row = await db()
      .selectFrom('engagement_subscriptions')
      .select(['district', 'language'])
      .where('email', '=', 'cymraeg@example.com')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ district: 'CF10', language: 'cy' });
  });
});

describe('personal data', () => {
  it('a person’s "My data" lists the subscriptions made with their account’s e-mail, and no one else’s', async () => {
    const citizen = await aSignedInCitizen(app);
    await subscribed({ email: citizen.email, area: 'postcode', postcode: 'GL5 4UB' });
    const sections = await engagementModule.personalDataOf!(db(), citizen.userId);
    const rows = sections.find((s) => s.key === 'petitionSubscriptions')!.rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ email: citizen.email, area: 'GL5', body: null });
    expect(rows[0]!.confirmedAt).not.toBeNull();
    const other = await aSignedInCitizen(app);
    const none = await engagementModule.personalDataOf!(db(), other.userId);
    expect(none.find((s) => s.key === 'petitionSubscriptions')!.rows).toEqual([]);
    expect((await citizen.visitor.get('/account/my-data')).html).toContain(
      'Your subscriptions to new petitions',
    );
    expect(engagementModule.personalData!.map((p) => p.table)).toContain(
      'engagement_subscriptions',
    );
  });
});
