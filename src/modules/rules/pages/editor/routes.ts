/**
 * The service owner's rules editor (issue 16): `/rules/staff` lists the services the signed-in
 * member of staff may edit with their rule sets; `/rules/staff/<service>/<purpose>` shows the
 * eligibility, fee or decision table as JSON with the test cases beside it, checks both ("Check
 * and preview": format, overlaps and gaps with the rows named, every test case run), previews the
 * outcome and explanation for answers typed into the page's own questions, and publishes the next
 * version from a date. Publishing refuses a table that is not unique or a failing test case.
 * Server-rendered; no JavaScript needed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../../../platform/audit/audit.js';
import { notFound } from '../../../../platform/errors/errors.js';
import { formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import type { Locale, Translate } from '../../../../platform/i18n/i18n.js';
import { parseDateParts, ukToday } from '../../../../platform/validation/validators.js';
import { isPlatformAdmin, requireSignIn } from '../../../identity/index.js';
import {
  ownedService,
  ownedServicesForStaff,
  type OwnedServiceSummary,
} from '../../../catalogue/index.js';
import { analyseTable } from '../../analysis.js';
import {
  checkRuleSet,
  publishRuleSet,
  type PublishProblem,
} from '../../commands/publish-rule-set.js';
import { evaluate, outcomeText } from '../../evaluate.js';
import { canEditRules, canUseRulesEditor } from '../../policies/rules.js';
import {
  latestVersions,
  ruleSetHistory,
  ruleSetInForce,
  type RuleSetVersion,
} from '../../queries/versions.js';
import {
  DecisionTableSchema,
  PURPOSES,
  TestCasesSchema,
  outcomeKey,
  type DecisionTable,
  type Inputs,
  type Purpose,
} from '../../schema.js';
import { runTestCases, type TestResult } from '../../test-cases.js';
import { fieldViews, readAnswers, type ReadAnswers, type Typed } from '../fields.js';
import { starterTable } from './starter.js';

const LIST = 'modules/rules/pages/editor/list.njk';
const EDITOR = 'modules/rules/pages/editor/editor.njk';
const PREVIEW_PREFIX = 'preview-';
/** The most problems listed at once; the rest are counted. */
const MAX_LISTED = 50;

type ErrorItem = { text: string; href: string };

function actorOf(request: FastifyRequest, user: CurrentUser): Actor {
  const role = isPlatformAdmin(user)
    ? 'platform-admin'
    : user.roles.includes('admin')
      ? 'admin'
      : 'service-owner';
  return { userId: user.id, organisationId: user.organisationId, role, requestId: request.id };
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** An example answer as the author would write it in a test case: `savings = 1600000`. */
function exampleText(example: Inputs): string {
  return Object.entries(example)
    .map(([name, value]) => `${name} = ${JSON.stringify(value)}`)
    .join(', ');
}

/** One problem in the editor's words. */
export function describeProblem(problem: PublishProblem, t: Translate, locale: Locale): ErrorItem {
  switch (problem.kind) {
    case 'schema':
      return {
        text: t('rules.problem.at', {
          path: problem.path || t('rules.problem.wholeTable'),
          message: problem.message,
        }),
        href: '#definition',
      };
    case 'structure':
      return { text: `${problem.path}: ${t(problem.key, problem.values)}`, href: '#definition' };
    case 'overlap':
      return {
        text: t('rules.problem.overlap', {
          first: problem.rows[0],
          second: problem.rows[1],
          example: exampleText(problem.example),
        }),
        href: '#definition',
      };
    case 'gap':
      return {
        text: t('rules.problem.gap', { example: exampleText(problem.example) }),
        href: '#definition',
      };
    case 'purpose':
      return {
        text: t('rules.problem.purpose', {
          purpose: t(`rules.purpose.${problem.purpose}`),
          found: problem.found,
        }),
        href: '#definition',
      };
    case 'tests-format':
      return {
        text: t('rules.problem.testsAt', { path: problem.path || '[]', message: problem.message }),
        href: '#tests',
      };
    case 'test-failed':
      return { text: failureText(problem.result, t, locale), href: '#tests' };
    case 'effective-date':
      return { text: t(problem.key, problem.values), href: '#effective-day' };
    case 'stale':
      return {
        text: t('rules.editor.stale', { version: problem.nextVersion }),
        href: '#definition',
      };
    case 'forbidden':
      return { text: t('rules.editor.forbidden'), href: '#definition' };
  }
}

function gotText(result: TestResult, t: Translate): string {
  const e = result.evaluation;
  if (e.ok) return String(outcomeKey(e.outcome));
  if (e.problem === 'invalid-input')
    return t('rules.tests.invalidInput', {
      inputs: e.inputs.map((i) => `${i.name} (${t(`rules.answer.reason.${i.reason}`)})`).join(', '),
    });
  return t(`rules.tests.${e.problem}`);
}

function failureText(result: TestResult, t: Translate, _locale: Locale): string {
  return t('rules.problem.testFailed', {
    number: result.number,
    name: result.name ?? '',
    expected: JSON.stringify(result.expected),
    got: gotText(result, t),
  });
}

function purposeOf(value: string): Purpose {
  if (!(PURPOSES as readonly string[]).includes(value)) throw notFound({ purpose: value });
  return value as Purpose;
}

/** What the editor shows of one check: the problems, the test results and the table to preview. */
interface Checked {
  errorList: ErrorItem[];
  table: DecisionTable | null;
  results: TestResult[];
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

function check(
  purpose: Purpose,
  tableText: string,
  testsText: string,
  t: Translate,
  locale: Locale,
): Checked {
  const definition = parseJson(tableText);
  const tests = parseJson(testsText.trim() === '' ? '[]' : testsText);
  const errorList: ErrorItem[] = [];
  if (!definition.ok)
    errorList.push({
      text: t('rules.problem.json', { message: definition.message }),
      href: '#definition',
    });
  if (!tests.ok)
    errorList.push({
      text: t('rules.problem.testsJson', { message: tests.message }),
      href: '#tests',
    });
  if (!definition.ok || !tests.ok) return { errorList, table: null, results: [] };
  const analysed = analyseTable(definition.value);
  const parsedTests = TestCasesSchema.safeParse(tests.value);
  const table = analysed.ok && analysed.table.purpose === purpose ? analysed.table : null;
  const results = table && parsedTests.success ? runTestCases(table, parsedTests.data) : [];
  const checked = checkRuleSet(purpose, definition.value, tests.value);
  if (!checked.ok) {
    for (const problem of checked.errors.slice(0, MAX_LISTED))
      errorList.push(describeProblem(problem, t, locale));
    if (checked.errors.length > MAX_LISTED)
      errorList.push({
        text: t('rules.problem.more', { count: checked.errors.length - MAX_LISTED }),
        href: '#definition',
      });
  }
  return { errorList, table, results };
}

export function editorRoutes(app: FastifyInstance, { db }: AppContext): void {
  /** The service, if the user may edit its rules; 404 otherwise (not saying whether it exists). */
  async function serviceFor(user: CurrentUser, serviceId: string): Promise<OwnedServiceSummary> {
    const service = await ownedService(db, serviceId);
    if (!service || !canEditRules(user, service)) throw notFound({ serviceId });
    return service;
  }

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    service: OwnedServiceSummary,
    purpose: Purpose,
    page: {
      tableText: string;
      testsText: string;
      effective: Typed;
      checked: Checked;
      preview?: { typed: Typed; errors: ReadAnswers['errors']; inputs: Inputs | null };
      notice?: { kind: 'published' | 'checked'; version?: number };
    },
  ) {
    const { locale, t } = request;
    const history = await ruleSetHistory(db, service.id, purpose);
    const inForce = await ruleSetInForce(db, service.id, purpose);
    const table = page.checked.table;
    const preview = page.preview ?? { typed: {}, errors: [], inputs: null };
    let previewResult = null;
    if (table && preview.inputs) {
      const result = evaluate(table, preview.inputs);
      if (result.ok)
        previewResult = {
          row: result.row,
          outcome: outcomeText(result.outcome, locale),
          explanationEn: result.explanation.en,
          explanationCy: result.explanation.cy,
          used: result.inputsUsed.map((u) => u.name).join(', '),
        };
    }
    return reply.view(EDITOR, {
      service: { ...service, title: (locale === 'cy' && service.titleCy) || service.title },
      purpose,
      purposeText: t(`rules.purpose.${purpose}`),
      tableText: page.tableText,
      testsText: page.testsText,
      effective: page.effective,
      nextVersion: (history[0]?.version ?? 0) + 1,
      inForce: inForce ? { version: inForce.version, from: inForce.effectiveFrom } : null,
      errorList: page.checked.errorList,
      previewFields: table
        ? fieldViews(table, preview.typed, preview.errors, PREVIEW_PREFIX, locale, t)
        : null,
      previewResult,
      results: page.checked.results.map((r) => ({
        number: r.number,
        name: r.name ?? '',
        expected: JSON.stringify(r.expected),
        got: gotText(r, t),
        passed: r.passed,
      })),
      history: history.map((h: RuleSetVersion) => ({
        version: h.version,
        from: h.effectiveFrom,
        at: h.publishedAt,
        rows: h.table.rows.length,
        tests: h.tests.length,
      })),
      notice: page.notice ?? null,
      backLink: '/rules/staff',
    });
  }

  app.get('/rules/staff', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    if (!canUseRulesEditor(user)) throw notFound();
    const { locale } = request;
    const candidates = await ownedServicesForStaff(db, user);
    const services = candidates.filter((s) => canEditRules(user, s));
    const latest = await latestVersions(
      db,
      services.map((s) => s.id),
    );
    return reply.view(LIST, {
      services: services.map((s) => ({
        id: s.id,
        title: (locale === 'cy' && s.titleCy) || s.title,
        purposes: PURPOSES.map((purpose) => ({
          purpose,
          text: request.t(`rules.purpose.${purpose}`),
          version:
            latest.find((l) => l.serviceId === s.id && l.purpose === purpose)?.version ?? null,
        })),
      })),
    });
  });

  app.get('/rules/staff/:serviceId/:purpose', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const params = request.params as { serviceId: string; purpose: string };
    const purpose = purposeOf(params.purpose);
    const service = await serviceFor(user, params.serviceId);
    const latest = (await ruleSetHistory(db, service.id, purpose))[0];
    const table = latest?.table ?? starterTable(purpose);
    const tests = latest?.tests ?? [];
    const query = request.query as Record<string, unknown>;
    const published = typeof query.published === 'string' && /^\d{1,6}$/.test(query.published);
    const [year, month, day] = ukToday().split('-');
    return render(request, reply, service, purpose, {
      tableText: json(table),
      testsText: json(tests),
      effective: { day: String(Number(day)), month: String(Number(month)), year: year! },
      checked: {
        errorList: [],
        table: DecisionTableSchema.parse(table),
        results: runTestCases(DecisionTableSchema.parse(table), tests),
      },
      notice: published ? { kind: 'published', version: Number(query.published) } : undefined,
    });
  });

  app.post('/rules/staff/:serviceId/:purpose', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const params = request.params as { serviceId: string; purpose: string };
    const purpose = purposeOf(params.purpose);
    const service = await serviceFor(user, params.serviceId);
    const { locale, t } = request;
    const body = request.body as Record<string, unknown> | undefined;
    const tableText = typeof body?.definition === 'string' ? body.definition : '';
    const testsText = typeof body?.tests === 'string' ? body.tests : '';
    const effective = {
      day: formText(body, 'effective-day'),
      month: formText(body, 'effective-month'),
      year: formText(body, 'effective-year'),
    };
    const checked = check(purpose, tableText, testsText, t, locale);
    // The preview: answers typed into the table's own questions, if any were.
    let preview: { typed: Typed; errors: ReadAnswers['errors']; inputs: Inputs | null } | undefined;
    const previewAsked = Object.entries(body ?? {}).some(
      ([k, v]) => k.startsWith(PREVIEW_PREFIX) && typeof v === 'string' && v.trim() !== '',
    );
    if (checked.table && previewAsked) {
      const read = readAnswers(checked.table, body, PREVIEW_PREFIX, locale, t);
      preview = {
        typed: read.typed,
        errors: read.errors,
        inputs: read.errors.length ? null : read.inputs,
      };
    }
    const page = { tableText, testsText, effective, checked, preview };
    if (checked.errorList.length > 0)
      return render(request, reply.code(400), service, purpose, page);
    if (formText(body, 'action') !== 'publish')
      return render(request, reply, service, purpose, { ...page, notice: { kind: 'checked' } });

    const date = parseDateParts(effective.day, effective.month, effective.year);
    if ('problem' in date)
      return render(request, reply.code(400), service, purpose, {
        ...page,
        checked: {
          ...checked,
          errorList: [
            { text: t(`rules.editor.effective.${date.problem}`), href: '#effective-day' },
          ],
        },
      });
    const outcome = await db.transaction().execute((trx) =>
      publishRuleSet(
        trx,
        user,
        {
          serviceId: service.id,
          purpose,
          definition: JSON.parse(tableText),
          tests: JSON.parse(testsText.trim() === '' ? '[]' : testsText),
          effectiveFrom: date.date,
          expectedVersion: Number(formText(body, 'version')),
        },
        actorOf(request, user),
      ),
    );
    if (outcome.ok)
      return reply.redirect(
        `/rules/staff/${service.id}/${purpose}?published=${outcome.version}`,
        303,
      );
    if (outcome.errors.some((e) => e.kind === 'forbidden'))
      throw notFound({ serviceId: service.id });
    const stale = outcome.errors.some((e) => e.kind === 'stale');
    return render(request, reply.code(stale ? 409 : 400), service, purpose, {
      ...page,
      checked: { ...checked, errorList: outcome.errors.map((e) => describeProblem(e, t, locale)) },
    });
  });
}
