import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordAudit } from '../../../../platform/audit/audit.js';
import { notFound } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { formatDate } from '../../../../platform/i18n/i18n.js';
import { requireSignIn } from '../../../identity/index.js';
import { listOrganisations } from '../../../organisations/index.js';
import { createAgreement, endAgreement, type AgreementInput } from '../../commands/agreements.js';
import { decideHeldChange } from '../../commands/changes.js';
import { EVENT_TYPES, LEGAL_BASES } from '../../db/tables.js';
import { EVENT_FIELDS } from '../../events.js';
import { findAgreement, listAgreements } from '../../queries/agreements.js';
import { deliveriesOf, findChangeById, heldChanges } from '../../queries/changes.js';
import { mayManageAgreements, mayVerifyReports } from '../../policies/sharing.js';
import { actorOf, answerRows, dateTime, nameIn } from '../shared.js';

const VIEWS = 'modules/sharing/pages/admin';
const ROOT = '/admin/sharing';

function admin(
  request: FastifyRequest,
  reply: FastifyReply,
  may: (user: CurrentUser | null) => boolean,
): CurrentUser | null {
  const user = requireSignIn(request, reply);
  if (!user) return null;
  if (!may(user)) throw notFound();
  return user;
}

function many(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return (Array.isArray(value) ? value : [value]).filter(
    (v): v is string => typeof v === 'string' && v !== '',
  );
}

/**
 * Platform admins' pages: data-sharing agreements (list, register, end) and the death reports
 * held for verification (read audited with the reporter as subject, decided with a reason).
 */
export function adminRoutes(app: FastifyInstance, context: AppContext): void {
  app.get(ROOT, async (request, reply) => {
    if (!admin(request, reply, mayManageAgreements)) return reply;
    const organisations = new Map((await listOrganisations(context.db)).map((o) => [o.id, o]));
    const now = Date.now();
    const agreements = (await listAgreements(context.db)).map((a) => {
      const organisation = organisations.get(a.organisation_id);
      const live =
        a.ended_at === null &&
        new Date(a.starts_at).getTime() <= now &&
        (a.ends_at === null || new Date(a.ends_at).getTime() > now);
      return {
        id: a.id,
        body: (request.locale === 'cy' ? organisation?.name_cy : null) ?? organisation?.name ?? '',
        types: a.event_types.map((t) => request.t(`sharing.type.${t}`)).join(', '),
        basis: request.t(`sharing.basis.${a.legal_basis}`),
        purpose: request.locale === 'cy' ? a.purpose_cy : a.purpose,
        from: formatDate(a.starts_at, request.locale),
        to: a.ends_at ? formatDate(a.ends_at, request.locale) : '',
        ended: a.ended_at ? formatDate(a.ended_at, request.locale) : '',
        live,
      };
    });
    const held = (await heldChanges(context.db)).length;
    return reply.view(`${VIEWS}/list.njk`, {
      agreements,
      held,
      done: (request.query as { done?: string }).done ?? '',
    });
  });

  async function formModel(request: FastifyRequest, values: AgreementInput) {
    const organisations = await listOrganisations(context.db);
    return {
      backLink: ROOT,
      values,
      organisations: [
        { value: '', text: request.t('sharing.admin.chooseBody') },
        ...organisations.map((o) => ({
          value: o.id,
          text: o.name,
          selected: values.organisationId === o.id,
        })),
      ],
      eventTypes: EVENT_TYPES.map((t) => ({
        value: t,
        text: request.t(`sharing.type.${t}`),
        checked: values.eventTypes.includes(t),
      })),
      fieldGroups: EVENT_TYPES.map((t) => ({
        legend: request.t(`sharing.type.${t}`),
        items: EVENT_FIELDS[t].map((f) => ({
          value: `${t}.${f}`,
          text: request.t(`sharing.field.${f}`),
          checked: values.fields.includes(`${t}.${f}`),
        })),
      })),
      bases: LEGAL_BASES.map((b) => ({
        value: b,
        text: request.t(`sharing.basis.${b}`),
        checked: values.legalBasis === b,
      })),
    };
  }

  const EMPTY: AgreementInput = {
    organisationId: '',
    eventTypes: [],
    fields: [],
    legalBasis: '',
    purpose: '',
    purposeCy: '',
    startsOn: '',
    endsOn: '',
  };

  app.get(`${ROOT}/agreements/new`, async (request, reply) => {
    if (!admin(request, reply, mayManageAgreements)) return reply;
    return reply.view(`${VIEWS}/new.njk`, await formModel(request, EMPTY));
  });

  app.post(`${ROOT}/agreements/new`, async (request, reply) => {
    const user = admin(request, reply, mayManageAgreements);
    if (!user) return reply;
    const body = request.body;
    const values: AgreementInput = {
      organisationId: formText(body, 'organisationId'),
      eventTypes: many(body, 'eventTypes'),
      fields: many(body, 'fields'),
      legalBasis: formText(body, 'legalBasis'),
      purpose: formText(body, 'purpose'),
      purposeCy: formText(body, 'purposeCy'),
      startsOn: formText(body, 'startsOn'),
      endsOn: formText(body, 'endsOn'),
    };
    const ids = new Set((await listOrganisations(context.db)).map((o) => o.id));
    const outcome = await context.db
      .transaction()
      .execute((trx) => createAgreement(trx, values, ids, actorOf(request, user)));
    if (!outcome.ok)
      return reply.code(400).view(`${VIEWS}/new.njk`, {
        ...(await formModel(request, values)),
        ...errorView(outcome.errors, request.t),
      });
    return reply.redirect(`${ROOT}?done=created`, 303);
  });

  app.post(`${ROOT}/agreements/:id/end`, async (request, reply) => {
    const user = admin(request, reply, mayManageAgreements);
    if (!user) return reply;
    const { id } = request.params as { id: string };
    if (!(await findAgreement(context.db, id))) throw notFound();
    await context.db.transaction().execute((trx) => endAgreement(trx, id, actorOf(request, user)));
    return reply.redirect(`${ROOT}?done=ended`, 303);
  });

  app.get(`${ROOT}/verifications`, async (request, reply) => {
    if (!admin(request, reply, mayVerifyReports)) return reply;
    const held = (await heldChanges(context.db)).map((c) => ({
      id: c.id,
      reference: c.reference,
      reported: dateTime(request, c.submitted_at),
    }));
    const done = (request.query as { done?: string }).done;
    return reply.view(`${VIEWS}/verifications.njk`, {
      held,
      backLink: ROOT,
      done: done === 'verified' || done === 'rejected' ? done : '',
    });
  });

  async function heldReport(request: FastifyRequest) {
    const { id } = request.params as { id: string };
    const change = await findChangeById(context.db, id);
    if (!change || change.status !== 'held') throw notFound();
    return change;
  }

  async function reportModel(request: FastifyRequest, user: CurrentUser, id: string) {
    const change = await heldReport(request);
    // A staff read of personal data: audited, with the reporter as subject.
    await recordAudit(context.db, actorOf(request, user), {
      action: 'sharing.change.viewed',
      resourceType: 'sharing_change',
      resourceId: change.id,
      subjectUserId: change.user_id,
      details: { reference: change.reference, why: 'verification' },
    });
    return {
      backLink: `${ROOT}/verifications`,
      id,
      reference: change.reference,
      reported: dateTime(request, change.submitted_at),
      rows: answerRows(request, change.event_type, change.details, false),
      bodies: (await deliveriesOf(context.db, change.id))
        .filter((d) => d.status === 'waiting')
        .map((d) => nameIn(request, d)),
    };
  }

  app.get(`${ROOT}/verifications/:id`, async (request, reply) => {
    const user = admin(request, reply, mayVerifyReports);
    if (!user) return reply;
    const { id } = request.params as { id: string };
    return reply.view(`${VIEWS}/verification.njk`, await reportModel(request, user, id));
  });

  app.post(`${ROOT}/verifications/:id`, async (request, reply) => {
    const user = admin(request, reply, mayVerifyReports);
    if (!user) return reply;
    const { id } = request.params as { id: string };
    const change = await heldReport(request);
    const decision = formText(request.body, 'decision');
    const note = formText(request.body, 'note');
    const errors = [
      ...(['verified', 'rejected'].includes(decision)
        ? []
        : [{ field: 'decision', message: 'sharing.admin.error.decision' }]),
      ...(note && note.length <= 1000
        ? []
        : [{ field: 'note', message: 'sharing.admin.error.note' }]),
    ];
    if (errors.length)
      return reply.code(400).view(`${VIEWS}/verification.njk`, {
        ...(await reportModel(request, user, id)),
        decision,
        note,
        ...errorView(errors, request.t),
      });
    await context.db
      .transaction()
      .execute((trx) =>
        decideHeldChange(
          trx,
          change.id,
          { verified: decision === 'verified', note },
          actorOf(request, user),
          context.config.baseUrl,
        ),
      );
    context.wakeOutbox();
    return reply.redirect(`${ROOT}/verifications?done=${decision}`, 303);
  });
}
