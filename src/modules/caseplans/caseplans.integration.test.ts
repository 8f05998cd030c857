import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, Visitor, type TestApp } from '../../../test/helpers/app.js';
import { aSignedInCitizen } from '../../../test/helpers/citizens.js';
import { mailsTo } from '../../../test/helpers/outbox.js';
import { createStaffUser } from '../identity/index.js';
import { casePlanOutcomes } from './index.js';
import { day } from './queries/plans.js';

let app: TestApp;
const db = () => app.platform.database.db;

const ADDRESS = '12 Refuge Lane, Stroud GL5 9ZZ';
const PHONE = '07700 900457';
const LEAD_EMAIL = 'caseworker@stroud.example.gov.uk';

let lead: Visitor;
let cheltenham: Visitor;
let county: Visitor;
let bristol: Visitor;
let person: Visitor;
let personId: string;
let reference: string;
const ids: Record<string, string> = {};

async function bodyId(slug: string): Promise<string> {
  return (
    await db()
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', slug)
      .executeTakeFirstOrThrow()
  ).id;
}

async function staff(email: string, password: string): Promise<Visitor> {
  const visitor = new Visitor(app.baseUrl);
  await visitor.signIn(email, password);
  return visitor;
}

/** Posts a form on the plan page (as the visitor last saw a page with a CSRF token). */
async function onPlan(visitor: Visitor, path: string, fields: Record<string, string | string[]>) {
  await visitor.get('/staff/case-plans');
  return visitor.post(`/staff/case-plans/${reference}${path}`, fields);
}

const actionNamed = (description: string) =>
  db()
    .selectFrom('case_plan_actions')
    .selectAll()
    .where('description', '=', description)
    .executeTakeFirstOrThrow();

/** The cells after the row header `name` in the first table row that has it. */
function rowOf(html: string, name: string): string[] {
  const row = new RegExp(`<th scope="row"[^>]*>${name}</th>([\\s\\S]*?)</tr>`).exec(html);
  if (!row) throw new Error(`No row ${name}`);
  return [...row[1]!.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]!.trim());
}

const audits = (action: string) =>
  db()
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .where('details', '@>', JSON.stringify({ reference }) as never)
    .execute();

beforeAll(async () => {
  app = await startTestApp();
  lead = await staff(LEAD_EMAIL, 'demo-stroud-caseworker');
  cheltenham = await staff('caseworker@cheltenham.example.gov.uk', 'demo-cheltenham-caseworker');
  county = await staff(
    'caseworker@gloucestershire.example.gov.uk',
    'demo-gloucestershire-caseworker',
  );
  const made = await createStaffUser(db(), {
    email: 'caseworker@bristol.example.gov.uk',
    password: 'bristol caseworker password',
    displayName: 'Bo Bristol',
    organisationId: await bodyId('bristol'),
    roles: ['caseworker'],
  });
  if (!made.ok) throw new Error(JSON.stringify(made.errors));
  bristol = await staff('caseworker@bristol.example.gov.uk', 'bristol caseworker password');
  const citizen = await aSignedInCitizen(app, { email: 'jo.person@example.com' });
  person = citizen.visitor;
  personId = citizen.userId;
  for (const slug of ['stroud', 'cheltenham', 'gloucestershire', 'bristol', 'cardiff'])
    ids[slug] = await bodyId(slug);
});
afterAll(async () => {
  await app?.close();
});

describe('a multi-agency case plan', () => {
  it('the lead opens a sensitive plan for a person with a named lead professional; audited', async () => {
    const leadProfessional = (
      await db()
        .selectFrom('users')
        .select('id')
        .where('email', '=', LEAD_EMAIL)
        .executeTakeFirstOrThrow()
    ).id;
    await lead.get('/staff/case-plans/new');
    const refused = await lead.post('/staff/case-plans/new', { kind: 'nonsense', personName: '' });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('Enter the person');
    const response = await lead.post('/staff/case-plans/new', {
      kind: 'domestic-abuse',
      subject: 'person',
      personName: 'Jo Person',
      'dob-day': '3',
      'dob-month': '4',
      'dob-year': '1990',
      personAddress: ADDRESS,
      personContact: PHONE,
      personEmail: 'jo.person@example.com',
      leadProfessionalId: leadProfessional,
      sensitive: 'yes',
      summary: 'Support after leaving an abusive partner',
    });
    expect(response.status, response.html).toBe(303);
    reference = (response.headers.get('location') ?? '').split('/').pop()!;
    expect(reference).toMatch(/^CP-[A-Z0-9]{8}$/);
    const row = await db()
      .selectFrom('case_plans')
      .selectAll()
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    expect(row.person_account_id).toBe(personId);
    expect(row.sensitive).toBe(true);
    expect(await audits('caseplans.plan.opened')).toHaveLength(1);
  });

  it('the lead invites bodies under consent or a safeguarding basis; consent must be confirmed', async () => {
    const noConsent = await onPlan(lead, '/invite', {
      organisationId: ids.cheltenham!,
      basis: 'consent',
      basisDetail: 'Agreed at home visit',
      sections: ['plan'],
    });
    expect(noConsent.status).toBe(400);
    expect(noConsent.html).toContain('Confirm the person has given consent');
    for (const [slug, fields] of [
      [
        'cheltenham',
        {
          basis: 'consent',
          consentConfirmed: 'yes',
          basisDetail: 'Agreed at home visit',
          sections: ['plan', 'chronology'],
        },
      ],
      [
        'gloucestershire',
        {
          basis: 'safeguarding',
          basisDetail: 'Children Act 2004 s.11',
          basisShownToPerson: 'no',
          named: 'yes',
          sections: ['assessment', 'conferences'],
        },
      ],
      [
        'bristol',
        {
          basis: 'consent',
          consentConfirmed: 'yes',
          basisDetail: 'Agreed by phone',
          sections: ['plan'],
        },
      ],
    ] as [string, Record<string, string | string[]>][]) {
      const r = await onPlan(lead, '/invite', { organisationId: ids[slug]!, ...fields });
      expect(r.status, r.html).toBe(303);
    }
    expect(await audits('caseplans.body.invited')).toHaveLength(3);
    const invitation = await mailsTo(db(), 'caseworker@cheltenham.example.gov.uk');
    expect(invitation.at(-1)!.subject).toContain(reference);
  });

  it('a body that has not accepted gets 404 for the plan and every part of it, and its invitation shows no personal details', async () => {
    for (const path of ['', '/chronology', '/break-glass']) {
      expect((await cheltenham.get(`/staff/case-plans/${reference}${path}`)).status).toBe(404);
    }
    expect(
      (await onPlan(cheltenham, '/links', { kind: 'submission', reference: 'X' })).status,
    ).toBe(404);
    const invitation = await cheltenham.get(`/staff/case-plans/${reference}/invitation`);
    expect(invitation.status).toBe(200);
    expect(invitation.html).not.toContain('Jo Person');
    expect(invitation.html).not.toContain(ADDRESS);
    // A body not invited at all sees neither.
    const cardiffless = await bristol.get(`/staff/case-plans/${reference}`);
    expect(cardiffless.status).toBe(404);
  });

  it('accepting opens the plan; the sensitive address shows only to the lead and named bodies', async () => {
    for (const visitor of [cheltenham, county]) {
      await visitor.get(`/staff/case-plans/${reference}/invitation`);
      const r = await visitor.post(`/staff/case-plans/${reference}/invitation`, {
        answer: 'accept',
      });
      expect(r.status).toBe(303);
    }
    const leadPage = await lead.get(`/staff/case-plans/${reference}`);
    expect(leadPage.html).toContain(ADDRESS);
    const named = await county.get(`/staff/case-plans/${reference}`);
    expect(named.status).toBe(200);
    expect(named.html).toContain(ADDRESS);
    expect(named.html).toContain(PHONE);
    const notNamed = await cheltenham.get(`/staff/case-plans/${reference}`);
    expect(notNamed.status).toBe(200);
    expect(notNamed.html).toContain('Jo Person');
    expect(notNamed.html).not.toContain(ADDRESS);
    expect(notNamed.html).not.toContain(PHONE);
    expect(notNamed.html).toContain('not shared with your body');
  });

  it('every staff read of the plan is audited with the person as subject', async () => {
    const before = (await audits('caseplans.plan.viewed')).length;
    await cheltenham.get(`/staff/case-plans/${reference}`);
    const after = await audits('caseplans.plan.viewed');
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)!.subject_user_id).toBe(personId);
    expect(after.at(-1)!.actor_organisation_id).toBe(ids.cheltenham);
  });

  it('an action for a body not in the plan (or not yet accepted) is refused; for a body that accepted it is added', async () => {
    const due = { 'dueOn-day': '1', 'dueOn-month': '1', 'dueOn-year': '2030' };
    for (const slug of ['bristol', 'cardiff']) {
      const refused = await onPlan(lead, '/actions', {
        organisationId: ids[slug]!,
        description: 'Find refuge space',
        responsible: 'Housing officer',
        ...due,
      });
      expect(refused.status).toBe(400);
      expect(refused.html).toContain(
        'The owning body must be the lead or a body that has accepted',
      );
    }
    const added = await onPlan(lead, '/actions', {
      organisationId: ids.cheltenham!,
      description: 'Find refuge space',
      responsible: 'Housing officer',
      ...due,
    });
    expect(added.status).toBe(303);
    const actions = await db().selectFrom('case_plan_actions').selectAll().execute();
    expect(actions.map((a) => a.organisation_id)).toEqual([ids.cheltenham]);
  });

  it('a stale edit of an action is refused with 409 and "someone changed this"; the owner sees its own action', async () => {
    const action = await db().selectFrom('case_plan_actions').selectAll().executeTakeFirstOrThrow();
    const page = await cheltenham.get(`/staff/case-plans/${reference}`);
    expect(page.html).toContain('Find refuge space');
    const first = await cheltenham.post(`/staff/case-plans/${reference}/actions/${action.id}`, {
      status: 'done',
      outcome: 'Refuge place found',
      version: String(action.version),
    });
    expect(first.status).toBe(303);
    await lead.get(`/staff/case-plans/${reference}`);
    const stale = await lead.post(`/staff/case-plans/${reference}/actions/${action.id}`, {
      status: 'cancelled',
      outcome: '',
      version: String(action.version),
    });
    expect(stale.status).toBe(409);
    expect(stale.html).toContain('Someone changed this action');
    const now = await db().selectFrom('case_plan_actions').selectAll().executeTakeFirstOrThrow();
    expect(now.status).toBe('done');
    expect(now.version).toBe(action.version + 1);
  });

  it('a body may not update an action it does not own (404)', async () => {
    const action = await db().selectFrom('case_plan_actions').selectAll().executeTakeFirstOrThrow();
    const r = await onPlan(county, `/actions/${action.id}`, {
      status: 'cancelled',
      outcome: '',
      version: String(action.version),
    });
    expect(r.status).toBe(404);
  });

  it('break glass without a reason is refused; with one it is granted, audited with the reason and the lead alerted without the address', async () => {
    await cheltenham.get(`/staff/case-plans/${reference}/break-glass`);
    const refused = await cheltenham.post(`/staff/case-plans/${reference}/break-glass`, {
      section: 'assessment',
      reason: '',
    });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('Enter why you need emergency access');
    expect(await db().selectFrom('case_plan_break_glass').selectAll().execute()).toHaveLength(0);
    const reason = 'Police report a threat tonight; need the risk scores';
    const granted = await cheltenham.post(`/staff/case-plans/${reference}/break-glass`, {
      section: 'assessment',
      reason,
    });
    expect(granted.status).toBe(303);
    const entries = await audits('caseplans.plan.viewed_break_glass');
    expect(entries).toHaveLength(1);
    expect(entries[0]!.details).toMatchObject({
      accessReason: 'break-glass',
      accessReasonDetails: reason,
    });
    expect(entries[0]!.subject_user_id).toBe(personId);
    const alert = (await mailsTo(db(), LEAD_EMAIL)).filter((m) =>
      m.subject.includes('Emergency access'),
    );
    expect(alert).toHaveLength(1);
    expect(alert[0]!.text).toContain(reason);
    const page = await cheltenham.get(`/staff/case-plans/${reference}`);
    // The section opens to read (no longer offered behind the glass); recording stays with those it is shared with.
    expect(page.html).not.toContain('break-glass?section=assessment');
    expect(page.html).toContain('break-glass?section=conferences');
    expect(page.html).not.toContain('Record a needs assessment');
  });

  it('the lead records assessments and a conference; the chronology is newest first and filtered per body', async () => {
    for (const [dayOf, score] of [
      ['1', '4'],
      ['2', '2'],
    ] as const) {
      const fields: Record<string, string> = {
        'assessedOn-day': dayOf,
        'assessedOn-month': '3',
        'assessedOn-year': '2026',
      };
      for (const d of ['safety', 'accommodation', 'finance', 'mental-health', 'children', 'family'])
        fields[`score-${d}`] = score;
      expect((await onPlan(lead, '/assessments', fields)).status).toBe(303);
    }
    const badScore = await onPlan(lead, '/assessments', {
      'assessedOn-day': '2',
      'assessedOn-month': '3',
      'assessedOn-year': '2026',
    });
    expect(badScore.status).toBe(400);
    const conf = await onPlan(lead, '/conferences', {
      'heldOn-day': '5',
      'heldOn-month': '3',
      'heldOn-year': '2026',
      attendees: 'Stroud, Gloucestershire',
      minutes: 'Discussed safety planning',
      decisions: 'MARAC referral',
    });
    expect(conf.status).toBe(303);
    const leadChronology = await lead.get(`/staff/case-plans/${reference}/chronology`);
    expect(leadChronology.html.indexOf('Case conference held')).toBeLessThan(
      leadChronology.html.indexOf('Case plan opened'),
    );
    // Gloucestershire is not shared the chronology.
    const countyChronology = await county.get(`/staff/case-plans/${reference}/chronology`);
    expect(countyChronology.html).not.toContain('Case conference held');
    // Cheltenham sees the chronology but not conference events (not shared with it).
    const chelt = await cheltenham.get(`/staff/case-plans/${reference}/chronology`);
    expect(chelt.html).toContain('Action added');
    expect(chelt.html).not.toContain('Case conference held');
  });

  it('no notification text carries the address or contact details of the sensitive case', async () => {
    const rows = await db()
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', 'mail.send')
      .execute();
    const texts = rows.map((r) => JSON.stringify(r.payload));
    expect(texts.some((t) => t.includes(reference))).toBe(true);
    for (const text of texts) {
      expect(text).not.toContain('Refuge Lane');
      expect(text).not.toContain(PHONE);
    }
  });

  it('the person sees their plan, who is involved where safe, what is withheld and why, and who read it', async () => {
    expect(
      (
        await onPlan(lead, '/withhold', {
          section: 'conferences',
          withhold: 'yes',
          reason: 'Police investigation ongoing',
        })
      ).status,
    ).toBe(303);
    const list = await person.get('/account/case-plans');
    expect(list.html).toContain(reference);
    const page = await person.get(`/account/case-plans/${reference}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Cheltenham');
    expect(page.html).not.toContain('Children Act 2004 s.11'); // safeguarding basis not shown
    expect(page.html).toContain('Police investigation ongoing');
    expect(page.html).not.toContain('MARAC referral');
    expect(page.html).toContain('Police report a threat tonight');
    const other = await aSignedInCitizen(app);
    expect((await other.visitor.get(`/account/case-plans/${reference}`)).status).toBe(404);
    expect((await cheltenham.get(`/account/case-plans/${reference}`)).status).toBe(404);
    const accessLog = await person.get('/account/my-data');
    expect(accessLog.html).toContain('Your case plan');
  });

  it('when the person withdraws consent the body loses access at once', async () => {
    expect((await cheltenham.get(`/staff/case-plans/${reference}`)).status).toBe(200);
    await person.get(`/account/case-plans/${reference}`);
    const r = await person.post(`/account/case-plans/${reference}/withdraw`, {
      organisationId: ids.cheltenham!,
    });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toContain('done=withdrawn');
    for (const path of ['', '/chronology', '/break-glass']) {
      expect((await cheltenham.get(`/staff/case-plans/${reference}${path}`)).status).toBe(404);
    }
    expect(await db().selectFrom('case_plan_break_glass').selectAll().execute()).toHaveLength(0);
    // The lead can no longer give the body actions.
    const refused = await onPlan(lead, '/actions', {
      organisationId: ids.cheltenham!,
      description: 'x',
      responsible: 'y',
      'dueOn-day': '1',
      'dueOn-month': '1',
      'dueOn-year': '2030',
    });
    expect(refused.status).toBe(400);
    expect(await audits('caseplans.body.consent-withdrawn')).toHaveLength(1);
  });

  it('outcome figures per kind of case suppress counts under 5', async () => {
    const figures = await casePlanOutcomes(db());
    const abuse = figures.find((f) => f.kind === 'domestic-abuse')!;
    expect(abuse.plans).toEqual({ value: null, suppressed: true });
    expect(abuse.needsReduced).toEqual({ value: null, suppressed: true });
    expect(figures.find((f) => f.kind === 'offender')!.plans).toEqual({
      value: 0,
      suppressed: false,
    });
  });

  it('the owning body edits the description and due date of its action; audited and in the chronology', async () => {
    const due = { 'dueOn-day': '1', 'dueOn-month': '2', 'dueOn-year': '2030' };
    for (const [slug, description] of [
      ['gloucestershire', 'Arrange a school place'],
      ['stroud', 'Review the safety plan'],
    ] as const) {
      const added = await onPlan(lead, '/actions', {
        organisationId: ids[slug]!,
        description,
        responsible: 'Named worker',
        ...due,
      });
      expect(added.status, added.html).toBe(303);
    }
    const action = await actionNamed('Arrange a school place');
    const page = await county.get(`/staff/case-plans/${reference}/actions/${action.id}/edit`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Arrange a school place');
    expect(page.html).toContain(`name="version" value="${action.version}"`);
    const edited = await county.post(`/staff/case-plans/${reference}/actions/${action.id}/edit`, {
      description: 'Arrange a school place near the refuge',
      'dueOn-day': '15',
      'dueOn-month': '3',
      'dueOn-year': '2030',
      version: String(action.version),
    });
    expect(edited.status, edited.html).toBe(303);
    const after = await db()
      .selectFrom('case_plan_actions')
      .selectAll()
      .where('id', '=', action.id)
      .executeTakeFirstOrThrow();
    expect(after.description).toBe('Arrange a school place near the refuge');
    expect(day(after.due_on)).toBe('2030-03-15');
    expect(after.version).toBe(action.version + 1);
    const entries = await audits('caseplans.action.edited');
    expect(entries).toHaveLength(1);
    expect(entries[0]!.actor_organisation_id).toBe(ids.gloucestershire);
    expect(entries[0]!.details).toMatchObject({
      before: { description: 'Arrange a school place', dueOn: '2030-02-01' },
      after: { description: 'Arrange a school place near the refuge', dueOn: '2030-03-15' },
    });
    const chronology = await lead.get(`/staff/case-plans/${reference}/chronology`);
    expect(chronology.html).toContain('Action edited, due 2030-02-01 now 2030-03-15');
  });

  it('a stale edit of an action is refused with 409 and the error summary; nothing is saved', async () => {
    const action = await actionNamed('Arrange a school place near the refuge');
    await lead.get(`/staff/case-plans/${reference}/actions/${action.id}/edit`);
    const stale = await lead.post(`/staff/case-plans/${reference}/actions/${action.id}/edit`, {
      description: 'Something else',
      'dueOn-day': '1',
      'dueOn-month': '1',
      'dueOn-year': '2031',
      version: String(action.version - 1),
    });
    expect(stale.status).toBe(409);
    expect(stale.html).toContain('govuk-error-summary');
    expect(stale.html).toContain('Someone changed this action');
    // The form shows the action as it is now, with its current version, to check and edit again.
    expect(stale.html).toContain('Arrange a school place near the refuge');
    expect(stale.html).toContain(`name="version" value="${action.version}"`);
    const now = await actionNamed('Arrange a school place near the refuge');
    expect(now.version).toBe(action.version);
    expect(day(now.due_on)).toBe('2030-03-15');
  });

  it('bad input re-renders with the error summary; the lead may edit any action', async () => {
    const action = await actionNamed('Arrange a school place near the refuge');
    await lead.get(`/staff/case-plans/${reference}/actions/${action.id}/edit`);
    const bad = await lead.post(`/staff/case-plans/${reference}/actions/${action.id}/edit`, {
      description: '',
      'dueOn-day': '31',
      'dueOn-month': '2',
      'dueOn-year': '2030',
      version: String(action.version),
    });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('govuk-error-summary');
    expect(bad.html).toContain('Enter the action');
    expect(bad.html).toContain('Enter a real date');
    const ok = await lead.post(`/staff/case-plans/${reference}/actions/${action.id}/edit`, {
      description: 'Arrange a school place near the refuge',
      'dueOn-day': '1',
      'dueOn-month': '4',
      'dueOn-year': '2030',
      version: String(action.version),
    });
    expect(ok.status, ok.html).toBe(303);
    expect(day((await actionNamed('Arrange a school place near the refuge')).due_on)).toBe(
      '2030-04-01',
    );
  });

  it('a body may not edit an action it does not own, nor one of a plan it cannot read (404); a finished action is not edited', async () => {
    const leads = await actionNamed('Review the safety plan');
    const countys = await actionNamed('Arrange a school place near the refuge');
    const fields = (version: number) => ({
      description: 'Taken over',
      'dueOn-day': '1',
      'dueOn-month': '1',
      'dueOn-year': '2031',
      version: String(version),
    });
    expect(
      (await county.get(`/staff/case-plans/${reference}/actions/${leads.id}/edit`)).status,
    ).toBe(404);
    expect((await onPlan(county, `/actions/${leads.id}/edit`, fields(leads.version))).status).toBe(
      404,
    );
    // Cheltenham's consent was withdrawn; Bristol never accepted.
    for (const visitor of [cheltenham, bristol]) {
      expect(
        (await visitor.get(`/staff/case-plans/${reference}/actions/${countys.id}/edit`)).status,
      ).toBe(404);
      expect(
        (await onPlan(visitor, `/actions/${countys.id}/edit`, fields(countys.version))).status,
      ).toBe(404);
    }
    expect((await actionNamed('Review the safety plan')).description).toBe(
      'Review the safety plan',
    );
    const done = await actionNamed('Find refuge space');
    expect(done.status).toBe('done');
    const refused = await onPlan(lead, `/actions/${done.id}/edit`, fields(done.version));
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('This action is done or cancelled');
    expect((await actionNamed('Find refuge space')).version).toBe(done.version);
  });

  it('the performance pages show case plan outcomes per kind of case, counts under 5 as "fewer than 5", in English and Welsh', async () => {
    const leadProfessional = (
      await db()
        .selectFrom('users')
        .select('id')
        .where('email', '=', LEAD_EMAIL)
        .executeTakeFirstOrThrow()
    ).id;
    for (let n = 1; n <= 5; n++) {
      await lead.get('/staff/case-plans/new');
      const opened = await lead.post('/staff/case-plans/new', {
        kind: 'family-support',
        subject: 'household',
        personName: `Family ${n}`,
        leadProfessionalId: leadProfessional,
      });
      expect(opened.status, opened.html).toBe(303);
    }
    const visitor = new Visitor(app.baseUrl);
    const english = await visitor.get('/performance');
    expect(english.status).toBe(200);
    expect(english.html).toContain('Multi-agency case plans');
    // Kind of case, plans, reassessed, needs reduced, actions done, done on time.
    expect(rowOf(english.html, 'Family support')).toEqual(['5', '0', '0', '0', '0']);
    expect(rowOf(english.html, 'Domestic abuse')).toEqual([
      'fewer than 5',
      'fewer than 5',
      'fewer than 5',
      'fewer than 5',
      'fewer than 5',
    ]);
    expect(rowOf(english.html, 'Offender management')).toEqual(['0', '0', '0', '0', '0']);
    // No person's name reaches the page.
    expect(english.html).not.toContain('Jo Person');
    expect(english.html).not.toContain('Family 1');
    const welsh = await visitor.get('/performance?lang=cy');
    expect(welsh.html).toContain('Cynlluniau achos amlasiantaethol');
    expect(rowOf(welsh.html, 'Cymorth i deuluoedd')).toEqual(['5', '0', '0', '0', '0']);
    expect(rowOf(welsh.html, 'Cam-drin domestig')[0]).toBe('llai na 5');
    const staffDashboard = await lead.get('/staff/performance');
    expect(staffDashboard.status).toBe(200);
    expect(rowOf(staffDashboard.html, 'Family support')).toEqual(['5', '0', '0', '0', '0']);
  });

  it('only the lead closes the plan, and only with an outcome and a reason', async () => {
    expect((await county.get(`/staff/case-plans/${reference}/close`)).status).toBe(404);
    const byCounty = await onPlan(county, '/close', { outcome: 'needs-met', reason: 'Done' });
    expect(byCounty.status).toBe(404);
    const page = await lead.get(`/staff/case-plans/${reference}/close`);
    expect(page.status).toBe(200);
    const empty = await lead.post(`/staff/case-plans/${reference}/close`, {
      outcome: '',
      reason: '',
    });
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('govuk-error-summary');
    expect(empty.html).toContain('Choose why the plan is closing');
    expect(empty.html).toContain('Enter the reason for closing the plan');
    const before = await db()
      .selectFrom('case_plans')
      .select('state')
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    expect(before.state).toBe('open');
    const closed = await lead.post(`/staff/case-plans/${reference}/close`, {
      outcome: 'needs-met',
      reason: 'You are settled in your new home and feel safe.',
    });
    expect(closed.status, closed.html).toBe(303);
    const row = await db()
      .selectFrom('case_plans')
      .selectAll()
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('closed');
    expect(row.closed_at).not.toBeNull();
    expect(row.closed_outcome).toBe('needs-met');
    expect(row.closed_reason).toBe('You are settled in your new home and feel safe.');
    const entries = await audits('caseplans.plan.closed');
    expect(entries).toHaveLength(1);
    expect(entries[0]!.subject_user_id).toBe(personId);
    const told = (await mailsTo(db(), 'caseworker@gloucestershire.example.gov.uk')).filter((m) =>
      m.subject.includes(`${reference} closed`),
    );
    expect(told).toHaveLength(1);
    expect(told[0]!.text).not.toContain('Refuge Lane');
    const chronology = await lead.get(`/staff/case-plans/${reference}/chronology`);
    expect(chronology.html).toContain('Case plan closed: needs-met');
  });

  it('a closed plan is read-only for everyone: every change is refused with 409 and nothing changes', async () => {
    const countOf = async (
      table: 'case_plan_actions' | 'case_plan_conferences' | 'case_plan_assessments',
    ) =>
      Number(
        (
          await db()
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const counts = async () => [
      await countOf('case_plan_actions'),
      await countOf('case_plan_conferences'),
      await countOf('case_plan_assessments'),
    ];
    const before = await counts();
    const countys = await actionNamed('Arrange a school place near the refuge');
    const date = { 'heldOn-day': '1', 'heldOn-month': '4', 'heldOn-year': '2026' };
    const attempts: [Visitor, string, Record<string, string | string[]>][] = [
      [
        lead,
        '/invite',
        {
          organisationId: ids.cardiff!,
          basis: 'safeguarding',
          basisDetail: 'Children Act 2004 s.11',
        },
      ],
      [lead, '/sharing', { organisationId: ids.gloucestershire!, sections: ['plan'] }],
      [lead, '/sensitive', { sensitive: 'no' }],
      [lead, '/withhold', { section: 'plan', withhold: 'yes', reason: 'Too late' }],
      [
        lead,
        '/actions',
        {
          organisationId: ids.stroud!,
          description: 'x',
          responsible: 'y',
          'dueOn-day': '1',
          'dueOn-month': '1',
          'dueOn-year': '2031',
        },
      ],
      [lead, '/conferences', { ...date, attendees: 'Stroud', minutes: 'After closing' }],
      [
        lead,
        `/actions/${countys.id}`,
        { status: 'done', outcome: '', version: String(countys.version) },
      ],
      [
        county,
        `/actions/${countys.id}`,
        { status: 'done', outcome: '', version: String(countys.version) },
      ],
      [
        county,
        `/actions/${countys.id}/edit`,
        {
          description: 'Later',
          'dueOn-day': '1',
          'dueOn-month': '1',
          'dueOn-year': '2031',
          version: String(countys.version),
        },
      ],
      [county, '/links', { kind: 'submission', reference: 'JU-AAAA-AAAA' }],
      [lead, '/close', { outcome: 'other', reason: 'Again' }],
    ];
    for (const [visitor, path, fields] of attempts) {
      const refused = await onPlan(visitor, path, fields);
      expect(refused.status, path).toBe(409);
      expect(refused.html, path).toContain('This case plan is closed');
      expect(refused.html, path).toContain('govuk-error-summary');
    }
    const assessment: Record<string, string> = {
      'assessedOn-day': '1',
      'assessedOn-month': '4',
      'assessedOn-year': '2026',
    };
    for (const d of ['safety', 'accommodation', 'finance', 'mental-health', 'children', 'family'])
      assessment[`score-${d}`] = '1';
    expect((await onPlan(county, '/assessments', assessment)).status).toBe(409);
    expect(await counts()).toEqual(before);
    const after = await actionNamed('Arrange a school place near the refuge');
    expect(after.version).toBe(countys.version);
    expect(after.status).toBe(countys.status);
    const row = await db()
      .selectFrom('case_plans')
      .selectAll()
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    expect(row.sensitive).toBe(true);
    expect(row.closed_outcome).toBe('needs-met');
    expect(await audits('caseplans.plan.closed')).toHaveLength(1);
    // Bristol's invitation lapsed with the plan.
    expect((await bristol.get(`/staff/case-plans/${reference}/invitation`)).status).toBe(404);
    // The edit page sends back to the plan; the plan still reads, without any form to change it.
    const edit = await county.get(`/staff/case-plans/${reference}/actions/${countys.id}/edit`);
    expect(edit.status).toBe(303);
    const page = await lead.get(`/staff/case-plans/${reference}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('This case plan was closed on');
    expect(page.html).toContain('You are settled in your new home and feel safe.');
    for (const action of ['/invite', '/actions"', '/conferences', '/links', '/close', '/sharing'])
      expect(page.html, action).not.toContain(`/staff/case-plans/${reference}${action}`);
    const countyPage = await county.get(`/staff/case-plans/${reference}`);
    expect(countyPage.status).toBe(200);
    expect(countyPage.html).not.toContain(`/actions/${countys.id}`);
    const list = await lead.get('/staff/case-plans');
    expect(list.html).toMatch(new RegExp(`${reference}</a></td>((?!</tr>)[\\s\\S])*Closed`));
  });

  it('the person is told on their page that the plan is closed, why, in English and Welsh', async () => {
    const list = await person.get('/account/case-plans');
    expect(list.html).toMatch(new RegExp(`${reference}</a> \\(Closed\\)`));
    const page = await person.get(`/account/case-plans/${reference}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Your plan was closed on');
    expect(page.html).toContain('Needs met: the aims of the plan were achieved');
    expect(page.html).toContain('You are settled in your new home and feel safe.');
    const welsh = await person.get(`/account/case-plans/${reference}?lang=cy`);
    expect(welsh.html).toContain('Cafodd eich cynllun ei gau ar');
    expect(welsh.html).toContain('Anghenion wedi');
    await person.get(`/account/case-plans/${reference}?lang=en`);
  });
});
