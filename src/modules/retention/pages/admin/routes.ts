import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordAudit, type Actor } from '../../../../platform/audit/audit.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext, RetentionRecordType } from '../../../../platform/http/types.js';
import type { Translate } from '../../../../platform/i18n/i18n.js';
import {
  administeredOrganisation,
  organisationAdminIndex,
  type AdministeredOrganisation,
  type OrganisationAdminArea,
} from '../../../identity/index.js';
import { liftLegalHold, placeLegalHold, type HoldInput } from '../../commands/holds.js';
import { recordTypeOf, setRetentionPolicy } from '../../commands/policies.js';
import { holdsInForce, pastHolds } from '../../queries/holds.js';
import { effectivePolicies } from '../../queries/policies.js';
import { recentRuns } from '../../queries/runs.js';
import { mayManageRetention } from '../../policies/retention.js';
import { isUuid } from '../../../../platform/validation/uuid.js';

const view = (name: string) => `modules/retention/pages/admin/${name}.njk`;
/** What the overview's success banner may say, after a redirect (`?done=`). */
const DONE = ['policy', 'hold-placed', 'hold-lifted', 'hold-gone'] as const;
/** Where the retention admin pages start. */
export const RETENTION_AREA: OrganisationAdminArea = {
  path: '/admin/retention',
  may: mayManageRetention,
  activity: 'retention periods and legal holds',
};

function actorOf(request: FastifyRequest, found: AdministeredOrganisation): Actor {
  const own = found.user.organisationId === found.organisation.id;
  return {
    userId: found.user.id,
    organisationId: found.user.organisationId,
    role: own ? 'admin' : 'platform-admin',
    requestId: request.id,
  };
}

/** "6 years", "18 months" (or in Welsh): a period in months as people say it. */
export function periodText(t: Translate, months: number): string {
  if (months % 12 === 0) {
    const years = months / 12;
    return t(years === 1 ? 'retention.period.year' : 'retention.period.years', { count: years });
  }
  return t(months === 1 ? 'retention.period.month' : 'retention.period.months', { count: months });
}

/**
 * The retention admin pages of a body, for its admins and platform admins: the period and
 * action of each record type (`/admin/retention/<body>`), changing one
 * (`…/policies/<type>`), legal holds placed (`…/holds/new`) and lifted, and the latest runs.
 */
export function retentionAdminRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;
  const types = (): RetentionRecordType[] => context.retentionRecordTypes();
  organisationAdminIndex(app, db, RETENTION_AREA, view('organisations'));

  app.get('/admin/retention/:org', async (request, reply) => {
    const found = await administeredOrganisation(db, RETENTION_AREA, request, reply);
    if (!found) return reply;
    const now = new Date();
    const policies = await effectivePolicies(db, found.organisation.id, types());
    const holds = await holdsInForce(db, found.organisation.id, now);
    // The holds list shows people's e-mail addresses: each such read is audited.
    const people = holds.filter((hold) => hold.person_user_id);
    if (people.length > 0)
      await db.transaction().execute(async (trx) => {
        for (const hold of people)
          await recordAudit(trx, actorOf(request, found), {
            action: 'retention.hold.viewed',
            resourceType: 'legal-hold',
            resourceId: hold.id,
            subjectUserId: hold.person_user_id,
          });
      });
    const titles = new Map(types().map((type) => [type.key, type.title]));
    const { done: said } = request.query as { done?: string };
    const done = DONE.find((known) => known === said);
    return reply.view(view('overview'), {
      ...found,
      policies: policies.map((policy) => ({
        key: policy.recordType.key,
        title: request.t(policy.recordType.title),
        clock: request.t(policy.recordType.clockStarts),
        period: periodText(request.t, policy.periodMonths),
        action: request.t(`retention.action.${policy.action}`),
        isDefault: policy.isDefault,
      })),
      holds: holds.map((hold) => ({
        ...hold,
        typeTitle: hold.record_type
          ? request.t(titles.get(hold.record_type) ?? hold.record_type)
          : null,
      })),
      past: await pastHolds(db, found.organisation.id, now),
      runs: (await recentRuns(db, found.organisation.id)).map((run) => ({
        ...run,
        counts: run.counts.map((count) => ({
          ...count,
          title: request.t(titles.get(count.recordType) ?? count.recordType),
          action: request.t(`retention.action.${count.action}`),
        })),
      })),
      done,
    });
  });

  async function policyPage(
    request: FastifyRequest,
    found: AdministeredOrganisation,
    type: RetentionRecordType,
    extra: Record<string, unknown> = {},
  ) {
    const policy = (await effectivePolicies(db, found.organisation.id, [type]))[0]!;
    return {
      ...found,
      type: {
        key: type.key,
        title: request.t(type.title),
        clock: request.t(type.clockStarts),
        keeps: type.anonymiseKeeps ? request.t(type.anonymiseKeeps) : null,
        min: type.minMonths,
        max: type.maxMonths,
        defaultPeriod: periodText(request.t, type.defaultMonths),
        defaultAction: request.t(`retention.action.${type.defaultAction}`),
        actions: type.actions.map((action) => ({
          value: action,
          text: request.t(`retention.action.${action}`),
        })),
      },
      values: { periodMonths: String(policy.periodMonths), action: policy.action },
      fieldErrors: {},
      ...extra,
    };
  }

  app.get('/admin/retention/:org/policies/:type', async (request, reply) => {
    const found = await administeredOrganisation(db, RETENTION_AREA, request, reply);
    if (!found) return reply;
    const type = recordTypeOf(types(), (request.params as { type: string }).type);
    return reply.view(view('policy'), await policyPage(request, found, type));
  });

  app.post('/admin/retention/:org/policies/:type', async (request, reply) => {
    const found = await administeredOrganisation(db, RETENTION_AREA, request, reply);
    if (!found) return reply;
    const type = recordTypeOf(types(), (request.params as { type: string }).type);
    const input = {
      organisationId: found.organisation.id,
      recordType: type.key,
      periodMonths: formText(request.body, 'periodMonths'),
      action: formText(request.body, 'action'),
    };
    const outcome = await db
      .transaction()
      .execute((trx) =>
        setRetentionPolicy(trx, found.user, types(), input, actorOf(request, found)),
      );
    if (!outcome.ok) {
      const errors = outcome.errors.map((error) => ({
        ...error,
        message: request.t(error.message, { min: type.minMonths, max: type.maxMonths }),
      }));
      return reply.code(400).view(
        view('policy'),
        await policyPage(request, found, type, {
          values: { periodMonths: input.periodMonths, action: input.action },
          ...errorView(errors, request.t),
        }),
      );
    }
    return reply.redirect(`${found.base}?done=policy`, 303);
  });

  function holdPage(
    request: FastifyRequest,
    found: AdministeredOrganisation,
    extra: Record<string, unknown> = {},
  ) {
    return {
      ...found,
      recordTypes: types().map((type) => ({ value: type.key, text: request.t(type.title) })),
      values: {},
      fieldErrors: {},
      ...extra,
    };
  }

  app.get('/admin/retention/:org/holds/new', async (request, reply) => {
    const found = await administeredOrganisation(db, RETENTION_AREA, request, reply);
    if (!found) return reply;
    return reply.view(view('hold-new'), holdPage(request, found));
  });

  app.post('/admin/retention/:org/holds', async (request, reply) => {
    const found = await administeredOrganisation(db, RETENTION_AREA, request, reply);
    if (!found) return reply;
    const field = (name: string) => formText(request.body, name);
    const input: HoldInput = {
      organisationId: found.organisation.id,
      subject: field('subject'),
      email: field('email'),
      recordType: field('recordType'),
      identifier: field('identifier'),
      reason: field('reason'),
      endDay: field('endsAt-day'),
      endMonth: field('endsAt-month'),
      endYear: field('endsAt-year'),
    };
    const outcome = await db
      .transaction()
      .execute((trx) => placeLegalHold(trx, found.user, types(), input, actorOf(request, found)));
    if (!outcome.ok)
      return reply.code(400).view(
        view('hold-new'),
        holdPage(request, found, {
          values: {
            subject: input.subject,
            email: input.email,
            recordType: input.recordType,
            identifier: input.identifier,
            reason: input.reason,
            'endsAt-day': input.endDay,
            'endsAt-month': input.endMonth,
            'endsAt-year': input.endYear,
          },
          ...errorView(outcome.errors, request.t),
        }),
      );
    return reply.redirect(`${found.base}?done=hold-placed`, 303);
  });

  app.post('/admin/retention/:org/holds/:id/lift', async (request, reply) => {
    const found = await administeredOrganisation(db, RETENTION_AREA, request, reply);
    if (!found) return reply;
    const { id } = request.params as { id: string };
    const lifted =
      isUuid(id) &&
      (await db
        .transaction()
        .execute((trx) =>
          liftLegalHold(
            trx,
            found.user,
            { organisationId: found.organisation.id, holdId: id },
            actorOf(request, found),
          ),
        ));
    return reply.redirect(`${found.base}?done=${lifted ? 'hold-lifted' : 'hold-gone'}`, 303);
  });
}
