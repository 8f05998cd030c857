import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../../test/helpers/app.js';
import { signedInStaff, type DemoStaff } from '../../../../test/helpers/staff.js';
import { aSignedInCitizen } from '../../../../test/helpers/citizens.js';
import { mailsTo } from '../../../../test/helpers/outbox.js';
import { engagementModule } from '../index.js';
import { SIGNATURES_PER_ADDRESS_PER_HOUR } from './commands/signatures.js';
import { petitionSignatureRetention } from './retention.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const db = () => app.platform.database.db;

const staff = (who: DemoStaff) => signedInStaff(app, who);

async function organisationId(slug: string): Promise<string> {
  const row = await db()
    .selectFrom('organisations')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
  return row.id;
}

let made = 0;

/** A citizen starts a petition to Stroud through the form; returns its id and the creator. */
async function started(fields: Partial<Record<'title' | 'action' | 'background', string>> = {}) {
  const citizen = await aSignedInCitizen(app);
  await citizen.visitor.get('/petitions/start');
  const response = await citizen.visitor.post('/petitions/start', {
    organisationId: await organisationId('stroud'),
    title: fields.title ?? `Mend the footpaths of Stroud, number ${++made}`,
    action: fields.action ?? 'Repair the footpaths along the canal between Stroud and Ebley.',
    background: fields.background ?? 'They flood every winter and people cannot walk to work.',
  });
  expect(response.status, response.html).toBe(303);
  const id = /^\/petitions\/([0-9a-f-]{36})\/started$/.exec(
    response.headers.get('location') ?? '',
  )?.[1];
  expect(id).toBeDefined();
  return { id: id!, ...citizen };
}

/** Stroud's caseworker publishes a pending petition through the staff page. */
async function publish(id: string): Promise<void> {
  const caseworker = await staff('caseworker');
  await caseworker.get(`/staff/petitions/${id}`);
  const response = await caseworker.post(`/staff/petitions/${id}/moderate`, {
    decision: 'publish',
  });
  expect(response.status, response.html).toBe(303);
  expect(response.headers.get('location')).toBe(`/staff/petitions/${id}?done=publish`);
}

async function live(): Promise<string> {
  const { id } = await started();
  await publish(id);
  return id;
}

/** Someone (not signed in unless a visitor is given) fills in the signing form. */
async function sign(
  id: string,
  fields: Partial<Record<'name' | 'email' | 'postcode' | 'notify', string>>,
  visitor = new Visitor(app.baseUrl),
) {
  await visitor.get(`/petitions/${id}/sign`);
  return visitor.post(`/petitions/${id}/sign`, {
    name: 'Alex Signer',
    email: 'alex@example.com',
    postcode: 'GL5 4UB',
    ...fields,
  });
}

/** The confirmation link in the newest e-mail to `email`, as a path. */
async function confirmLink(email: string): Promise<string> {
  const mail = (await mailsTo(db(), email)).at(-1);
  const match = /https?:\/\/[^/\s]+(\/petitions\/[0-9a-f-]{36}\/confirm\?token=[\w-]+)/.exec(
    mail?.text ?? '',
  );
  if (!match) throw new Error(`No confirmation link for ${email}: ${mail?.text}`);
  return match[1]!;
}

/** Follows a confirmation link and presses the button, as the signer would. */
async function confirm(path: string, visitor = new Visitor(app.baseUrl)) {
  const page = await visitor.get(path);
  expect(page.status).toBe(200);
  const token = new URL(path, app.baseUrl).searchParams.get('token')!;
  return visitor.post(path.split('?')[0]!, { token });
}

async function signAndConfirm(id: string, email: string, postcode = 'GL5 4UB', notify = '') {
  const response = await sign(id, { email, postcode, ...(notify ? { notify } : {}) });
  expect(response.status, response.html).toBe(303);
  const confirmed = await confirm(await confirmLink(email.toLowerCase()));
  expect(confirmed.status, confirmed.html).toBe(200);
}

async function petitionRow(id: string) {
  return db().selectFrom('petitions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function audited(resourceId: string): Promise<string[]> {
  const rows = await db()
    .selectFrom('audit_log')
    .select('action')
    .where('resource_id', '=', resourceId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

describe('starting a petition and checking it before it goes live', () => {
  it('asks someone not signed in to sign in first', async () => {
    const response = await new Visitor(app.baseUrl).get('/petitions/start');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toContain('/sign-in?returnTo=');
  });

  it('shows what is missing with an error summary and keeps nothing', async () => {
    const { visitor, userId } = await aSignedInCitizen(app);
    await visitor.get('/petitions/start');
    const response = await visitor.post('/petitions/start', {
      organisationId: '',
      title: 'x'.repeat(101),
      action: '',
      background: 'Because',
    });
    expect(response.status).toBe(400);
    expect(response.html).toContain('govuk-error-summary');
    expect(response.html).toContain('Choose who your petition is to');
    expect(response.html).toContain('Title must be 100 characters or fewer');
    expect(response.html).toContain('Enter what you want them to do');
    const rows = await db()
      .selectFrom('petitions')
      .select('id')
      .where('created_by', '=', userId)
      .execute();
    expect(rows).toEqual([]);
  });

  it('a new petition is seen only by its creator and the body’s moderators until published', async () => {
    const { id, visitor } = await started();
    expect((await petitionRow(id)).state).toBe('pending');
    expect((await new Visitor(app.baseUrl).get(`/petitions/${id}`)).status).toBe(404);
    expect((await new Visitor(app.baseUrl).get(`/petitions/${id}/sign`)).status).toBe(404);
    expect((await new Visitor(app.baseUrl).get(`/api/v1/petitions/${id}`)).status).toBe(404);
    const list = await (await fetch(`${app.baseUrl}/api/v1/petitions`)).json();
    expect(JSON.stringify(list)).not.toContain(id);
    const own = await visitor.get(`/petitions/${id}`);
    expect(own.status).toBe(200);
    expect(own.html).toContain('waiting to be checked');
    const queue = await (await staff('caseworker')).get('/staff/petitions');
    expect(queue.html).toContain(`/staff/petitions/${id}`);
  });

  it('another body’s caseworker and a counter adviser get 404 and cannot publish it', async () => {
    const { id } = await started();
    for (const who of ['cheltenham', 'counter'] as const) {
      const visitor = await staff(who);
      expect((await visitor.get(`/staff/petitions/${id}`)).status).toBe(404);
      expect((await visitor.get(`/petitions/${id}`)).status).toBe(404);
      await visitor.get('/petitions');
      const post = await visitor.post(`/staff/petitions/${id}/moderate`, { decision: 'publish' });
      expect(post.status).toBe(404);
    }
    expect((await petitionRow(id)).state).toBe('pending');
  });

  it('publishing puts it live for six months, tells the creator, and is audited', async () => {
    const { id, email } = await started();
    await publish(id);
    const petition = await petitionRow(id);
    expect(petition.state).toBe('open');
    expect(petition.response_threshold).toBe(100);
    expect(petition.debate_threshold).toBe(1000);
    const months =
      (new Date(petition.closes_at!).getTime() - new Date(petition.published_at!).getTime()) /
      86_400_000;
    expect(months).toBeGreaterThan(180);
    expect(months).toBeLessThan(186);
    const page = await new Visitor(app.baseUrl).get(`/petitions/${id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Sign this petition');
    expect(page.html).toContain('At 100 signatures the body will respond. At 1,000 signatures');
    expect(page.html).toContain('0 signatures');
    expect((await mailsTo(db(), email)).at(-1)?.subject).toContain('Your petition is published');
    expect(await audited(id)).toEqual(['petition.started', 'petition.published']);
    // A second decision changes nothing.
    const caseworker = await staff('caseworker');
    await caseworker.get(`/staff/petitions/${id}`);
    const again = await caseworker.post(`/staff/petitions/${id}/moderate`, {
      decision: 'reject',
      reason: 'duplicate',
    });
    expect(again.headers.get('location')).toContain('done=already');
    expect((await petitionRow(id)).state).toBe('open');
  });

  it('abusive text is held, never published before review, and rejected with a reason the creator sees', async () => {
    const { id, visitor, email } = await started({ title: 'The planners are wankers' });
    expect((await petitionRow(id)).held_reasons).toEqual(['abusive']);
    expect((await new Visitor(app.baseUrl).get(`/petitions/${id}`)).status).toBe(404);
    const caseworker = await staff('caseworker');
    const page = await caseworker.get(`/staff/petitions/${id}`);
    expect(page.html).toContain('may be abusive');
    const missing = await caseworker.post(`/staff/petitions/${id}/moderate`, {
      decision: 'reject',
    });
    expect(missing.status).toBe(400);
    expect(missing.html).toContain('Choose why the petition is rejected');
    const rejected = await caseworker.post(`/staff/petitions/${id}/moderate`, {
      decision: 'reject',
      reason: 'offensive',
      detail: 'Please start it again without the insult.',
    });
    expect(rejected.status).toBe(303);
    expect((await new Visitor(app.baseUrl).get(`/petitions/${id}`)).status).toBe(404);
    const yours = await visitor.get('/petitions/yours');
    expect(yours.html).toContain('It contained offensive, abusive or defamatory language.');
    expect(yours.html).toContain('Please start it again without the insult.');
    const own = await visitor.get(`/petitions/${id}`);
    expect(own.html).toContain('It contained offensive, abusive or defamatory language.');
    expect((await mailsTo(db(), email)).at(-1)?.subject).toContain('was not published');
    expect(await audited(id)).toEqual(['petition.started', 'petition.rejected']);
  });
});

describe('signing a petition', () => {
  it('counts a signature only once it is confirmed by the e-mailed link, whoever follows it twice', async () => {
    const id = await live();
    const response = await sign(id, { email: '  Robin.Signer@Example.com ', postcode: 'gl54ub' });
    expect(response.status, response.html).toBe(303);
    expect(response.headers.get('location')).toBe(`/petitions/${id}/sign/sent`);
    expect((await petitionRow(id)).signature_count).toBe(0);
    const link = await confirmLink('robin.signer@example.com');
    // Following the link shows a button; nothing is counted by a mere visit (mail scanners).
    await new Visitor(app.baseUrl).get(link);
    expect((await petitionRow(id)).signature_count).toBe(0);
    const confirmed = await confirm(link);
    expect(confirmed.html).toContain('Signature confirmed');
    expect((await petitionRow(id)).signature_count).toBe(1);
    const confirmations = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'petition.signature-confirmed')
      .where(sql<string>`details->>'petitionId'`, '=', id)
      .execute();
    expect(confirmations).toHaveLength(1);
    const again = await confirm(link);
    expect(again.status).toBe(200);
    expect((await petitionRow(id)).signature_count).toBe(1);
    const signature = await db()
      .selectFrom('petition_signatures')
      .selectAll()
      .where('petition_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(signature).toMatchObject({
      email: 'robin.signer@example.com',
      postcode: 'GL5 4UB',
      district: 'GL5',
      user_id: null,
    });
    const bad = await new Visitor(app.baseUrl).get(`/petitions/${id}/confirm?token=nonsense`);
    expect(bad.status).toBe(200);
    const refused = await confirm(`/petitions/${id}/confirm?token=${'x'.repeat(43)}`);
    expect(refused.status).toBe(404);
  });

  it('one signature per e-mail address whatever its case: a second signing changes nothing', async () => {
    const id = await live();
    await signAndConfirm(id, 'Dup@Example.com');
    const second = await sign(id, { email: 'dup@EXAMPLE.com', name: 'Someone Else' });
    expect(second.status).toBe(303);
    const rows = await db()
      .selectFrom('petition_signatures')
      .select(['name', 'email'])
      .where('petition_id', '=', id)
      .execute();
    expect(rows).toEqual([{ name: 'Alex Signer', email: 'dup@example.com' }]);
    expect((await petitionRow(id)).signature_count).toBe(1);
    expect((await mailsTo(db(), 'dup@example.com')).at(-1)?.subject).toContain(
      'You have already signed',
    );
  });

  it('signing twice before confirming sends a new link to the same signature; the old one stops working', async () => {
    const id = await live();
    await sign(id, { email: 'twice@example.com' });
    const first = await confirmLink('twice@example.com');
    await sign(id, { email: 'twice@example.com', postcode: 'GL6 6AB' });
    const second = await confirmLink('twice@example.com');
    expect(second).not.toBe(first);
    expect((await confirm(first)).status).toBe(404);
    expect((await confirm(second)).status).toBe(200);
    expect((await confirm(second)).status).toBe(200);
    expect((await petitionRow(id)).signature_count).toBe(1);
  });

  it('refuses malformed and disposable e-mail addresses and malformed postcodes, keeping nothing', async () => {
    const id = await live();
    const cases: [Record<string, string>, string][] = [
      [{ email: 'not-an-address' }, 'Enter an e-mail address in the correct format'],
      [{ email: 'someone@example' }, 'Enter an e-mail address in the correct format'],
      [{ email: 'burner@Mailinator.com' }, 'disposable e-mail services cannot be used'],
      [{ email: 'burner@eu.yopmail.com' }, 'disposable e-mail services cannot be used'],
      [{ postcode: 'ZZ99 9ZZZ' }, 'Enter a real UK postcode'],
      [{ name: '', email: '' }, 'Enter your name'],
    ];
    for (const [fields, message] of cases) {
      const response = await sign(id, fields);
      expect(response.status, JSON.stringify(fields)).toBe(400);
      expect(response.html).toContain('govuk-error-summary');
      expect(response.html).toContain(message);
    }
    const rows = await db()
      .selectFrom('petition_signatures')
      .select('id')
      .where('petition_id', '=', id)
      .execute();
    expect(rows).toEqual([]);
  });

  it('bulk signing from one IP address is rate-limited and flagged; staff strike its signatures', async () => {
    const id = await live();
    for (let i = 1; i <= SIGNATURES_PER_ADDRESS_PER_HOUR; i++) {
      const response = await sign(id, { email: `bulk-${i}@example.com` });
      expect(response.status, `attempt ${i}`).toBe(303);
    }
    await confirm(await confirmLink('bulk-1@example.com'));
    await confirm(await confirmLink('bulk-2@example.com'));
    expect((await petitionRow(id)).signature_count).toBe(2);
    const refused = await sign(id, { email: 'bulk-extra@example.com' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.html).toContain('Too many signatures from your connection');
    await sign(id, { email: 'bulk-extra-2@example.com' });
    const flags = await db()
      .selectFrom('petition_flags')
      .selectAll()
      .where('petition_id', '=', id)
      .execute();
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ refused: 2, reviewed_at: null });
    const stored = await db()
      .selectFrom('petition_signatures')
      .select('email')
      .where('petition_id', '=', id)
      .execute();
    expect(stored.map((s) => s.email)).not.toContain('bulk-extra@example.com');

    // Another body's staff cannot review it; Stroud's caseworker sees it and strikes it out.
    const cheltenham = await staff('cheltenham');
    await cheltenham.get('/petitions');
    expect(
      (await cheltenham.post(`/staff/petitions/flags/${flags[0]!.id}`, { outcome: 'struck' }))
        .status,
    ).toBe(404);
    const caseworker = await staff('caseworker');
    const queue = await caseworker.get('/staff/petitions');
    expect(queue.html).toContain(`/staff/petitions/flags/${flags[0]!.id}`);
    const struck = await caseworker.post(`/staff/petitions/flags/${flags[0]!.id}`, {
      outcome: 'struck',
    });
    expect(struck.status).toBe(303);
    expect((await petitionRow(id)).signature_count).toBe(0);
    const counted = await db()
      .selectFrom('petition_signatures')
      .select('id')
      .where('petition_id', '=', id)
      .where('struck_at', 'is', null)
      .execute();
    expect(counted).toEqual([]);
    expect(await audited(id)).toContain('petition.flag-reviewed');
  });

  it('signing after the closing instant is refused with a clear page; a late confirmation does not count', async () => {
    const id = await live();
    await sign(id, { email: 'late@example.com' });
    const link = await confirmLink('late@example.com');
    // Someone opens the form while it is open and sends it after the closing instant.
    const visitor = new Visitor(app.baseUrl);
    await visitor.get(`/petitions/${id}/sign`);
    await db()
      .updateTable('petitions')
      .set({ closes_at: sql<Date>`now() - interval '1 millisecond'` })
      .where('id', '=', id)
      .execute();
    const page = await new Visitor(app.baseUrl).get(`/petitions/${id}/sign`);
    expect(page.status).toBe(410);
    expect(page.html).toContain('This petition has closed');
    const post = await visitor.post(`/petitions/${id}/sign`, {
      name: 'Too Late',
      email: 'too-late@example.com',
      postcode: 'GL5 4UB',
    });
    expect(post.status).toBe(410);
    const late = await confirm(link);
    expect(late.status).toBe(410);
    expect((await petitionRow(id)).signature_count).toBe(0);
    const json = await (await fetch(`${app.baseUrl}/api/v1/petitions/${id}`)).json();
    expect(json.state).toBe('closed');
    const closedList = await new Visitor(app.baseUrl).get('/petitions?show=closed');
    expect(closedList.html).toContain(`/petitions/${id}`);

    // Just before the closing instant it is still open.
    await db()
      .updateTable('petitions')
      .set({ closes_at: sql<Date>`now() + interval '1 minute'` })
      .where('id', '=', id)
      .execute();
    expect((await new Visitor(app.baseUrl).get(`/petitions/${id}/sign`)).status).toBe(200);
  });
});

describe('signatures by area and open data', () => {
  it('counts confirmed signatures per postcode district in a table and a chart with a text alternative', async () => {
    const id = await live();
    await signAndConfirm(id, 'a1@example.com', 'GL5 1AA');
    await signAndConfirm(id, 'a2@example.com', 'gl5 2bb');
    await signAndConfirm(id, 'a3@example.com', 'GL6 6AB');
    await sign(id, { email: 'unconfirmed@example.com', postcode: 'BS1 4DJ' });
    const page = await new Visitor(app.baseUrl).get(`/petitions/${id}`);
    expect(page.html).toContain('3 signatures');
    expect(page.html).toMatch(/<td class="govuk-table__cell">GL5<\/td><td[^>]*>2<\/td>/);
    expect(page.html).toMatch(/<td class="govuk-table__cell">GL6<\/td><td[^>]*>1<\/td>/);
    expect(page.html).not.toContain('BS1');
    expect(page.html).toContain('<svg role="img"');
    expect(page.html).toContain('<desc id="chart-desc">GL5: 2; GL6: 1</desc>');

    const json = await (await fetch(`${app.baseUrl}/api/v1/petitions/${id}`)).json();
    expect(json.signatureCount).toBe(3);
    expect(json.byDistrict).toEqual([
      { district: 'GL5', count: 2 },
      { district: 'GL6', count: 1 },
    ]);
    expect(json.state).toBe('open');
    expect(json.stage).toBe('collecting');
    const text = JSON.stringify(json);
    for (const personal of [
      'a1@example.com',
      'Alex Signer',
      'GL5 1AA',
      'unconfirmed',
      'Test Person',
    ])
      expect(text).not.toContain(personal);
    const list = await (
      await fetch(`${app.baseUrl}/api/v1/petitions?state=open&body=stroud`)
    ).json();
    expect(list.petitions.map((p: { id: string }) => p.id)).toContain(id);
    expect(JSON.stringify(list)).not.toContain('@example.com');
  });

  it('the API refuses bad input with the field and reason, and is in the OpenAPI document', async () => {
    const bad = await fetch(`${app.baseUrl}/api/v1/petitions/not-an-id`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('params.id');
    const state = await fetch(`${app.baseUrl}/api/v1/petitions?state=secret`);
    expect(state.status).toBe(400);
    const document = await (await fetch(`${app.baseUrl}/api/openapi.json`)).json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v1/petitions', '/api/v1/petitions/{id}']),
    );
  });
});

describe('thresholds, responses and debates', () => {
  it('only a service owner sets the thresholds; crossing them tells staff and shows the stage; the response reaches signers who asked', async () => {
    const caseworker = await staff('caseworker');
    expect((await caseworker.get('/staff/petitions/settings')).status).toBe(404);
    const owner = await staff('owner');
    await owner.get('/staff/petitions/settings');
    const invalid = await owner.post('/staff/petitions/settings', {
      durationMonths: '7',
      responseThreshold: '3',
      debateThreshold: '2',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.html).toContain('from 1 to 6');
    expect(invalid.html).toContain('at least the signatures for a response');
    const saved = await owner.post('/staff/petitions/settings', {
      durationMonths: '1',
      responseThreshold: '2',
      debateThreshold: '3',
    });
    expect(saved.status).toBe(303);
    try {
      const id = await live();
      const petition = await petitionRow(id);
      expect(petition.response_threshold).toBe(2);
      const days =
        (new Date(petition.closes_at!).getTime() - new Date(petition.published_at!).getTime()) /
        86_400_000;
      expect(days).toBeGreaterThan(27);
      expect(days).toBeLessThan(33);

      await signAndConfirm(id, 'told@example.com', 'GL5 1AA', 'yes');
      expect((await petitionRow(id)).response_threshold_reached_at).toBeNull();
      await signAndConfirm(id, 'not-told@example.com', 'GL5 1AB');
      expect((await petitionRow(id)).response_threshold_reached_at).not.toBeNull();
      const staffMail = (await mailsTo(db(), 'caseworker@stroud.example.gov.uk')).filter((m) =>
        m.subject.includes('reached 2 signatures'),
      );
      expect(staffMail).toHaveLength(1);
      expect((await new Visitor(app.baseUrl).get(`/petitions/${id}`)).html).toContain(
        'Waiting for a response',
      );
      await signAndConfirm(id, 'third@example.com', 'GL6 6AB');
      expect((await petitionRow(id)).debate_threshold_reached_at).not.toBeNull();
      expect((await new Visitor(app.baseUrl).get(`/petitions/${id}`)).html).toContain(
        'Considered for debate',
      );

      // Another body's staff cannot answer it.
      const cheltenham = await staff('cheltenham');
      await cheltenham.get('/petitions');
      expect(
        (await cheltenham.post(`/staff/petitions/${id}/respond`, { response: 'No.' })).status,
      ).toBe(404);

      await caseworker.get(`/staff/petitions/${id}`);
      const empty = await caseworker.post(`/staff/petitions/${id}/respond`, { response: '' });
      expect(empty.status).toBe(400);
      const responded = await caseworker.post(`/staff/petitions/${id}/respond`, {
        response: 'We will repair the canal footpaths next spring.',
      });
      expect(responded.status).toBe(303);
      const debate = await caseworker.post(`/staff/petitions/${id}/debate`, {
        'debateOn-day': '14',
        'debateOn-month': '1',
        'debateOn-year': '2027',
        outcome: '',
      });
      expect(debate.status).toBe(303);
      const page = await new Visitor(app.baseUrl).get(`/petitions/${id}`);
      expect(page.html).toContain('We will repair the canal footpaths next spring.');
      expect(page.html).toContain('14 January 2027');
      await app.platform.worker.drain();
      expect(
        (await mailsTo(db(), 'told@example.com')).some((m) => m.subject.startsWith('Response')),
      ).toBe(true);
      expect(
        (await mailsTo(db(), 'not-told@example.com')).some((m) => m.subject.startsWith('Response')),
      ).toBe(false);
      const json = await (await fetch(`${app.baseUrl}/api/v1/petitions/${id}`)).json();
      expect(json.response.text).toBe('We will repair the canal footpaths next spring.');
      expect(json.debate.on).toBe('2027-01-14');
      expect(await audited(id)).toEqual(
        expect.arrayContaining(['petition.responded', 'petition.debate-recorded']),
      );
    } finally {
      await db()
        .deleteFrom('petition_settings')
        .where('organisation_id', '=', await organisationId('stroud'))
        .execute();
    }
  });
});

describe('personal data', () => {
  it('staff reads of signers are audited with the signer as subject; other bodies get 404', async () => {
    const id = await live();
    const signer = await aSignedInCitizen(app);
    const response = await sign(id, { email: signer.email }, signer.visitor);
    expect(response.status).toBe(303);
    const caseworker = await staff('caseworker');
    const page = await caseworker.get(`/staff/petitions/${id}/signatures`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(signer.email);
    const entries = await db()
      .selectFrom('audit_log')
      .select(['action', 'subject_user_id'])
      .where('action', 'in', ['petition.signatures-viewed', 'petition.signature-viewed'])
      .where(sql<string>`details->>'petitionId'`, '=', id)
      .execute();
    expect(entries).toEqual([
      { action: 'petition.signature-viewed', subject_user_id: signer.userId },
    ]);
    expect(await audited(id)).toContain('petition.signatures-viewed');
    expect(
      (await (await staff('cheltenham')).get(`/staff/petitions/${id}/signatures`)).status,
    ).toBe(404);
    expect((await (await staff('counter')).get(`/staff/petitions/${id}/signatures`)).status).toBe(
      404,
    );
  });

  it('a person’s "My data" has the petitions they started and the signatures given with their e-mail', async () => {
    const { id, userId, email, visitor } = await started();
    await publish(id);
    await sign(id, { email: email.toUpperCase() }, new Visitor(app.baseUrl));
    const sections = await engagementModule.personalDataOf!(db(), userId);
    const startedRows = sections.find((s) => s.key === 'petitionsStarted')!.rows;
    expect(startedRows).toHaveLength(1);
    expect(startedRows[0]).toMatchObject({ petition: id, state: 'open' });
    const signed = sections.find((s) => s.key === 'petitionSignatures')!.rows;
    expect(signed).toHaveLength(1);
    expect(signed[0]).toMatchObject({ petition: id, email, postcode: 'GL5 4UB' });
    const other = await aSignedInCitizen(app);
    const none = await engagementModule.personalDataOf!(db(), other.userId);
    expect(none.every((s) => s.rows.length === 0)).toBe(true);
    expect((await visitor.get('/account/my-data')).html).toContain('Petitions you signed');
  });
});

describe('deleted accounts', () => {
  it('unlinks the petitions and signatures of a deleted account, which stay counted', async () => {
    const { id, userId, visitor, email } = await started();
    await publish(id);
    await sign(id, { email }, visitor);
    await confirm(await confirmLink(email));
    await db()
      .transaction()
      .execute((trx) => engagementModule.onAccountEvent!(trx, { type: 'deleted', userId }));
    expect((await petitionRow(id)).created_by).toBeNull();
    expect((await petitionRow(id)).signature_count).toBe(1);
    const signature = await db()
      .selectFrom('petition_signatures')
      .select('user_id')
      .where('petition_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(signature.user_id).toBeNull();
  });
});

describe('retention', () => {
  it('anonymises signatures a period after the petition closed, keeping the district counts, sparing held ones', async () => {
    const id = await live();
    await signAndConfirm(id, 'kept-district@example.com', 'GL10 3AD');
    const signer = await aSignedInCitizen(app);
    // Signed while signed in: the signature is tied to the account.
    await sign(id, { email: signer.email, postcode: 'GL11 4AE' }, signer.visitor);
    await confirm(await confirmLink(signer.email));
    const closes = new Date('2030-01-01T00:00:00Z');
    await db().updateTable('petitions').set({ closes_at: closes }).where('id', '=', id).execute();
    const stroud = await organisationId('stroud');
    const query = {
      organisationId: stroud,
      action: 'anonymise' as const,
      // Above the demo petition's 122 signatures, which closed earlier and come first.
      limit: 1000,
      heldPersonIds: [] as string[],
      heldPersonEmails: [] as string[],
      heldPersonPhones: [] as string[],
      heldRecordIds: [] as string[],
      heldReferences: [] as string[],
    };
    const ofThis = async (cutoff: Date, held: Partial<typeof query> = {}) => {
      const due = await petitionSignatureRetention.findDue(db(), { ...query, ...held, cutoff });
      const mine = await db()
        .selectFrom('petition_signatures')
        .select('id')
        .where('petition_id', '=', id)
        .execute();
      const ids = new Set(mine.map((m) => m.id));
      return due.filter((d) => ids.has(d.id));
    };
    expect(await ofThis(new Date(closes.getTime() - 1))).toEqual([]);
    expect(await ofThis(closes)).toHaveLength(2);
    const spared = await ofThis(closes, { heldPersonIds: [signer.userId] });
    expect(spared).toHaveLength(1);
    expect(await ofThis(closes, { heldPersonEmails: ['kept-district@example.com'] })).toHaveLength(
      1,
    );
    expect(await petitionSignatureRetention.resolve(db(), stroud, spared[0]!.id)).toEqual({
      id: spared[0]!.id,
      reference: spared[0]!.id,
    });
    expect(
      await petitionSignatureRetention.resolve(
        db(),
        await organisationId('cheltenham'),
        spared[0]!.id,
      ),
    ).toBeUndefined();
    const all = await ofThis(closes);
    const changed = await db()
      .transaction()
      .execute((trx) =>
        petitionSignatureRetention.dispose(
          trx,
          'anonymise',
          all.map((d) => d.id),
          new Date(),
        ),
      );
    expect(changed).toBe(2);
    const rows = await db()
      .selectFrom('petition_signatures')
      .select(['name', 'email', 'postcode', 'district', 'ip_address', 'user_id', 'confirmed_at'])
      .where('petition_id', '=', id)
      .orderBy('district')
      .execute();
    for (const row of rows) {
      expect(row.name).toBe('—');
      expect(row.email).toMatch(/^anonymised-/);
      expect(row.postcode).toBe(row.district);
      expect(row.ip_address).toBe('');
      expect(row.user_id).toBeNull();
      expect(row.confirmed_at).not.toBeNull();
    }
    const json = await (await fetch(`${app.baseUrl}/api/v1/petitions/${id}`)).json();
    expect(json.byDistrict).toEqual([
      { district: 'GL10', count: 1 },
      { district: 'GL11', count: 1 },
    ]);
    expect(await ofThis(closes)).toEqual([]);
  });
});

describe('Welsh', () => {
  it('the list, a petition and the signing form are in Welsh', async () => {
    const id = await live();
    const list = await new Visitor(app.baseUrl).get('/petitions?lang=cy');
    expect(list.html).toContain('Deisebau agored');
    const page = await new Visitor(app.baseUrl).get(`/petitions/${id}?lang=cy`);
    expect(page.html).toContain('Llofnodi&#39;r ddeiseb hon');
    const form = await new Visitor(app.baseUrl).get(`/petitions/${id}/sign?lang=cy`);
    expect(form.html).toContain('Cyfeiriad e-bost');
  });
});
