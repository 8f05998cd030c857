import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { formatDate } from '../../../../platform/i18n/i18n.js';
import { addressesAtPostcode, formatAddress } from '../../../address/index.js';
import { submitChange } from '../../commands/changes.js';
import { chooseBodies, chooseChange, discardDraft, saveAnswers } from '../../commands/drafts.js';
import { EVENT_TYPES, type DraftRow, type EventType } from '../../db/tables.js';
import { needsVerification, REPORTER_RELATIONSHIPS } from '../../events.js';
import {
  dateBoxes,
  furthestStep,
  mayVisit,
  readStep,
  stepsFor,
  type JourneyState,
  type Step,
} from '../../journey.js';
import { changesOf, findDraft } from '../../queries/changes.js';
import { planRecipients, type PlannedRecipient } from '../../queries/plan.js';
import {
  actorOf,
  answerRows,
  basisText,
  citizen,
  fieldNames,
  nameIn,
  purposeIn,
} from '../shared.js';

const VIEWS = 'modules/sharing/pages/journey';
const ROOT = '/tell-us-once';

function stateOf(draft: DraftRow | undefined): JourneyState {
  return {
    type: draft?.event_type ?? null,
    details: draft?.details ?? {},
    bodiesChosen: draft?.bodies_chosen ?? false,
  };
}

function pathOf(step: string): string {
  return step === 'change' || step === 'bodies' || step === 'check'
    ? `${ROOT}/${step}`
    : `${ROOT}/step/${step}`;
}

/** The person's draft, if they may be on this page; otherwise they are sent to where they are. */
async function guard(
  context: AppContext,
  user: CurrentUser,
  reply: FastifyReply,
  page: string,
): Promise<DraftRow | null> {
  const draft = await findDraft(context.db, user.id);
  const state = stateOf(draft);
  if (!mayVisit(state, page)) {
    void reply.redirect(pathOf(furthestStep(state)), 303);
    return null;
  }
  return draft ?? null;
}

/** The back link of a page: the one before it in the journey. */
function previous(type: EventType, page: string): string {
  const order = ['change', ...stepsFor(type).map((s) => s.id), 'bodies', 'check'];
  const at = order.indexOf(page);
  return pathOf(order[Math.max(0, at - 1)]!);
}

async function addressChoices(context: AppContext, postcode: unknown) {
  if (typeof postcode !== 'string') return new Map<string, string>();
  return new Map(
    (await addressesAtPostcode(context.db, postcode)).map((a) => [a.uprn, formatAddress(a)]),
  );
}

function questionModel(
  request: FastifyRequest,
  type: EventType,
  step: Step,
  values: Record<string, unknown>,
  addresses: Map<string, string>,
) {
  return {
    step,
    type,
    action: pathOf(step.id),
    backLink: previous(type, step.id),
    heading: request.t(`sharing.step.${step.id}.title`),
    questions: step.questions.map((q) => ({
      ...q,
      label: request.t(`sharing.field.${q.name === 'uprn' ? 'address' : q.name}`),
      hint:
        request.t(`sharing.hint.${q.name}`) === `sharing.hint.${q.name}`
          ? ''
          : request.t(`sharing.hint.${q.name}`),
      value: values[q.name] ?? '',
      date: dateBoxes(values[q.name]),
      items:
        q.kind === 'address'
          ? [...addresses].map(([uprn, text]) => ({
              value: uprn,
              text,
              checked: values.uprn === uprn,
            }))
          : q.kind === 'relationship'
            ? REPORTER_RELATIONSHIPS.map((r) => ({
                value: r,
                text: request.t(`sharing.relationship.${r}`),
                checked: values[q.name] === r,
              }))
            : [],
    })),
    single: step.questions.length === 1,
  };
}

/** The bodies page's model: who will be told on consent, who without, who cannot be told. */
function bodiesModel(
  request: FastifyRequest,
  type: EventType,
  plan: PlannedRecipient[],
  ticked: readonly string[],
) {
  const describe = (r: PlannedRecipient) => ({
    name: nameIn(request, r),
    agreementId: r.agreement?.id ?? '',
    purpose: r.agreement ? purposeIn(request, r.agreement) : '',
    basis: r.agreement ? basisText(request, r.agreement) : '',
    fields: r.agreement ? fieldNames(request, r.agreement, type) : '',
  });
  const onConsent = plan.filter((r) => r.agreement && r.needsConsent).map(describe);
  return {
    onConsent: onConsent.map((b) => ({
      value: b.agreementId,
      text: b.name,
      checked: ticked.includes(b.agreementId),
      hint: {
        text: request.t('sharing.bodies.consentHint', { purpose: b.purpose, fields: b.fields }),
      },
    })),
    withoutConsent: plan.filter((r) => r.agreement && !r.needsConsent).map(describe),
    notTold: plan.filter((r) => !r.agreement).map(describe),
    anyone: plan.some((r) => r.agreement),
  };
}

/**
 * Tell us once, for a person: choose the change, answer its pages, see which bodies would be
 * told (and tick those that need consent), check the answers and send; then a page of each
 * body's status. Works without JavaScript; the journey's state is kept in `sharing_drafts`.
 */
export function journeyRoutes(app: FastifyInstance, context: AppContext): void {
  app.get(ROOT, async (request, reply) => {
    const user = citizen(request, reply);
    if (!user) return reply;
    const changes = (await changesOf(context.db, user.id)).map((c) => ({
      reference: c.reference,
      type: request.t(`sharing.type.${c.event_type}`),
      date: formatDate(c.submitted_at, request.locale),
      status: request.t(`sharing.changeStatus.${c.status}`),
    }));
    return reply.view(`${VIEWS}/start.njk`, { changes });
  });

  app.get(`${ROOT}/change`, async (request, reply) => {
    const user = citizen(request, reply);
    if (!user) return reply;
    const draft = await findDraft(context.db, user.id);
    return reply.view(`${VIEWS}/change.njk`, changeModel(request, draft?.event_type ?? ''));
  });

  function changeModel(request: FastifyRequest, chosen: string) {
    return {
      backLink: ROOT,
      items: EVENT_TYPES.map((type) => ({
        value: type,
        text: request.t(`sharing.type.${type}`),
        hint: { text: request.t(`sharing.typeHint.${type}`) },
        checked: chosen === type,
      })),
    };
  }

  app.post(`${ROOT}/change`, async (request, reply) => {
    const user = citizen(request, reply);
    if (!user) return reply;
    const chosen = formText(request.body, 'type');
    if (!(EVENT_TYPES as readonly string[]).includes(chosen))
      return reply.code(400).view(`${VIEWS}/change.njk`, {
        ...changeModel(request, ''),
        ...errorView([{ field: 'type', message: 'sharing.error.type.required' }], request.t),
      });
    const draft = await findDraft(context.db, user.id);
    if (draft?.event_type !== chosen) await chooseChange(context.db, user.id, chosen as EventType);
    return reply.redirect(pathOf(stepsFor(chosen as EventType)[0]!.id), 303);
  });

  app.get(`${ROOT}/step/:step`, async (request, reply) => {
    const user = citizen(request, reply);
    if (!user) return reply;
    const { step: id } = request.params as { step: string };
    const draft = await guard(context, user, reply, id);
    if (!draft) return reply;
    const step = stepsFor(draft.event_type).find((s) => s.id === id);
    if (!step) throw notFound();
    const addresses = await addressChoices(context, draft.details.postcode);
    return reply.view(
      `${VIEWS}/question.njk`,
      questionModel(request, draft.event_type, step, draft.details, addresses),
    );
  });

  app.post(`${ROOT}/step/:step`, async (request, reply) => {
    const user = citizen(request, reply);
    if (!user) return reply;
    const { step: id } = request.params as { step: string };
    const draft = await guard(context, user, reply, id);
    if (!draft) return reply;
    const step = stepsFor(draft.event_type).find((s) => s.id === id);
    if (!step) throw notFound();
    const addresses = await addressChoices(context, draft.details.postcode);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const outcome = readStep(step, body, addresses);
    if (!outcome.ok) {
      const typed: Record<string, unknown> = {};
      for (const q of step.questions) typed[q.name] = formText(body, q.name);
      const model = questionModel(request, draft.event_type, step, typed, addresses);
      for (const q of model.questions)
        if (q.kind === 'date')
          q.date = {
            day: formText(body, `${q.name}-day`),
            month: formText(body, `${q.name}-month`),
            year: formText(body, `${q.name}-year`),
          };
      return reply.code(400).view(`${VIEWS}/question.njk`, {
        ...model,
        ...errorView(outcome.errors, request.t),
      });
    }
    const resets = [...(step.resets ?? []), ...step.questions.map((q) => q.name)];
    if (step.questions.some((q) => q.kind === 'address')) resets.push('address');
    await saveAnswers(context.db, draft, outcome.values, resets);
    const next = furthestStep(
      stateOf({ ...draft, details: { ...draft.details, ...outcome.values } }),
    );
    // From the check page a changed answer goes back there; otherwise on to the next page.
    return reply.redirect(pathOf(next), 303);
  });

  app.get(`${ROOT}/bodies`, async (request, reply) => {
    const user = citizen(request, reply);
    if (!user) return reply;
    const draft = await guard(context, user, reply, 'bodies');
    if (!draft) return reply;
    const plan = await planRecipients(context.db, user.id, draft.event_type);
    return reply.view(`${VIEWS}/bodies.njk`, {
      ...bodiesModel(request, draft.event_type, plan, draft.consents),
      backLink: previous(draft.event_type, 'bodies'),
      held: needsVerification(draft.event_type),
    });
  });

  app.post(`${ROOT}/bodies`, async (request, reply) => {
    const user = citizen(request, reply);
    if (!user) return reply;
    const draft = await guard(context, user, reply, 'bodies');
    if (!draft) return reply;
    const plan = await planRecipients(context.db, user.id, draft.event_type);
    const posted = (request.body as Record<string, unknown> | undefined)?.consent;
    const ticked = (Array.isArray(posted) ? posted : [posted]).filter(
      (v): v is string => typeof v === 'string',
    );
    const offered = new Set(
      plan.filter((r) => r.agreement && r.needsConsent).map((r) => r.agreement!.id),
    );
    const chosen = ticked.filter((id) => offered.has(id));
    const toldAnyway = plan.some((r) => r.agreement && !r.needsConsent);
    if (!plan.some((r) => r.agreement) || (chosen.length === 0 && !toldAnyway))
      return reply.code(400).view(`${VIEWS}/bodies.njk`, {
        ...bodiesModel(request, draft.event_type, plan, chosen),
        backLink: previous(draft.event_type, 'bodies'),
        held: needsVerification(draft.event_type),
        ...errorView(
          [
            {
              field: offered.size ? `consent` : 'bodies',
              message: offered.size ? 'sharing.error.consent.none' : 'sharing.error.bodies.none',
            },
          ],
          request.t,
        ),
      });
    await chooseBodies(context.db, user.id, chosen);
    return reply.redirect(`${ROOT}/check`, 303);
  });

  app.get(`${ROOT}/check`, async (request, reply) => {
    const user = citizen(request, reply);
    if (!user) return reply;
    const draft = await guard(context, user, reply, 'check');
    if (!draft) return reply;
    const plan = await planRecipients(context.db, user.id, draft.event_type);
    const told = plan.filter(
      (r) => r.agreement && (!r.needsConsent || draft.consents.includes(r.agreement.id)),
    );
    return reply.view(`${VIEWS}/check.njk`, {
      backLink: `${ROOT}/bodies`,
      type: request.t(`sharing.type.${draft.event_type}`),
      rows: answerRows(request, draft.event_type, draft.details, true),
      told: told.map((r) => ({
        name: nameIn(request, r),
        basis: basisText(request, r.agreement!),
      })),
      held: needsVerification(draft.event_type),
    });
  });

  app.post(`${ROOT}/check`, async (request, reply) => {
    const user = citizen(request, reply);
    if (!user) return reply;
    const draft = await guard(context, user, reply, 'check');
    if (!draft) return reply;
    const outcome = await context.db.transaction().execute(async (trx) => {
      const made = await submitChange(
        trx,
        {
          userId: user.id,
          type: draft.event_type,
          details: draft.details,
          consentedAgreementIds: draft.consents,
        },
        actorOf(request, user),
        context.config.baseUrl,
      );
      if (made.ok) await discardDraft(trx, user.id);
      return made;
    });
    // The pages checked each answer; anything the schema still refuses starts the pages again.
    if (!outcome.ok) return reply.redirect(pathOf(stepsFor(draft.event_type)[0]!.id), 303);
    context.wakeOutbox();
    return reply.redirect(`${ROOT}/changes/${outcome.change.reference}?sent=1`, 303);
  });
}
