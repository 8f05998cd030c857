/**
 * The body's staff pages at /staff/correspondence: queues per kind with due and overdue flags,
 * one piece of correspondence (every open audited as a read of personal data) with the actions
 * its kind and state allow, recording a member's letter, and the body's time limits.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { auditForResource, recordAudit } from '../../../../platform/audit/audit.js';
import { notFound, type FieldError, type Outcome } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../platform/http/types.js';
import { requireSignIn, staffWithRoles } from '../../../identity/index.js';
import { findOrganisationById } from '../../../organisations/index.js';
import { mayExtend } from '../../clock/statutory-clock.js';
import { clearReply, recordMemberLetter, saveDraft, sendReply } from '../../commands/member.js';
import { parseReference } from '../../commands/reference.js';
import { saveSettings } from '../../commands/settings.js';
import {
  costEstimateOf,
  giveFeeNotice,
  recordCostEstimate,
  recordFeePaid,
  refuseOnCost,
} from '../../commands/fees.js';
import {
  askForReview,
  decideReview,
  isOriginalAnswerer,
  isReviewable,
} from '../../commands/review.js';
import {
  askClarification,
  assignOwner,
  escalateComplaint,
  extendForPublicInterest,
  publishDisclosure,
  recordClarification,
  respond,
  type WorkOutcome,
} from '../../commands/work.js';
import {
  COMPLAINT_OUTCOMES,
  COST_ACTIVITIES,
  FOI_OUTCOMES,
  KINDS,
  MEMBER_ROLES,
  REVIEW_OUTCOMES,
  type CorrespondenceKind,
  type CorrespondenceRow,
} from '../../db/tables.js';
import {
  isCorrespondenceStaff,
  isEscalatable,
  mayClearReply,
  maySetCorrespondenceRules,
  mayWorkCorrespondence,
} from '../../policies/correspondence.js';
import {
  findById,
  findByReference,
  queueCounts,
  queueOf,
  reviewOf,
  settingsOf,
} from '../../queries/items.js';
import { poundsText, readCostEstimate, readFeeNotice } from '../../rules/fees.js';
import {
  EXEMPTIONS,
  QUALIFIED_EXEMPTIONS,
  memberLetterValues,
  readDisclosure,
  readExtension,
  readNote,
  readResponse,
  readReviewDecision,
  readSettings,
} from '../../rules/forms.js';
import { actorOf, bodyName, clockView, stateKey } from '../shared.js';

const VIEWS = 'modules/correspondence/pages/staff';
const QUEUE = `${VIEWS}/queue.njk`;
const ITEM = `${VIEWS}/item.njk`;
const MEMBER_NEW = `${VIEWS}/member-new.njk`;
const SETTINGS = `${VIEWS}/settings.njk`;

/** A form field that may come once or many times (checkboxes), as a list. */
function listOf(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

type Staff = CurrentUser & { organisationId: string };

/** Signed-in staff of a body who work its correspondence, or 404. */
function worker(user: CurrentUser): Staff {
  if (!user.organisationId || !mayWorkCorrespondence(user, user.organisationId)) throw notFound();
  return user as Staff;
}

/** What the staff page records and shows as history: every change, not the reads. */
function historyOf(
  entries: Awaited<ReturnType<typeof auditForResource>>,
  names: Map<string, string>,
) {
  return entries
    .filter((e) => !e.action.endsWith('.viewed'))
    .map((e) => ({
      at: e.occurred_at,
      action: e.action.replace(/^correspondence\./, ''),
      who: e.actor_user_id ? (names.get(e.actor_user_id) ?? '') : '',
      byRequester: e.actor_role === 'public' || e.actor_role === 'citizen',
      details: e.details,
    }));
}

export function staffCorrespondenceRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  async function colleaguesOf(organisationId: string) {
    return staffWithRoles(db, organisationId, ['caseworker', 'team-leader']);
  }

  app.get('/staff/correspondence', async (request, reply) => {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return reply;
    if (!isCorrespondenceStaff(signedIn)) throw notFound();
    const user = signedIn as Staff;
    const maySetRules = maySetCorrespondenceRules(user, user.organisationId);
    if (!mayWorkCorrespondence(user, user.organisationId))
      return reply.redirect('/staff/correspondence/settings', 303);
    const kindText = formText(request.query, 'kind');
    const kind: CorrespondenceKind = (KINDS as readonly string[]).includes(kindText)
      ? (kindText as CorrespondenceKind)
      : 'foi';
    const show = ['open', 'overdue', 'all'].includes(formText(request.query, 'show'))
      ? formText(request.query, 'show')
      : 'open';
    const now = new Date();
    const rows = await queueOf(db, user.organisationId, {
      kind,
      closed: show === 'all',
      ...(show === 'overdue' ? { overdueAt: now } : {}),
    });
    const names = new Map(
      (await colleaguesOf(user.organisationId)).map((c) => [c.id, c.display_name]),
    );
    return reply.view(QUEUE, {
      kind,
      show,
      kinds: KINDS,
      counts: await queueCounts(db, user.organisationId, now),
      rows: rows.map((row) => ({
        ...row,
        stateKey: stateKey(row),
        clock: clockView(row, now),
        owner: row.owner_id ? (names.get(row.owner_id) ?? '') : '',
      })),
      maySetRules,
    });
  });

  app.get('/staff/correspondence/member/new', async (request, reply) => {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return reply;
    const user = worker(signedIn);
    return reply.view(MEMBER_NEW, {
      roles: MEMBER_ROLES,
      colleagues: await colleaguesOf(user.organisationId),
      values: { ownerId: user.id },
      backLink: '/staff/correspondence?kind=member',
    });
  });

  app.post('/staff/correspondence/member/new', async (request, reply) => {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return reply;
    const user = worker(signedIn);
    const values = memberLetterValues(request.body);
    const outcome = await db
      .transaction()
      .execute((trx) =>
        recordMemberLetter(
          trx,
          user,
          actorOf(request, user),
          user.organisationId,
          values,
          new Date(),
        ),
      );
    if (!outcome.ok)
      return reply.code(400).view(MEMBER_NEW, {
        roles: MEMBER_ROLES,
        colleagues: await colleaguesOf(user.organisationId),
        values,
        backLink: '/staff/correspondence?kind=member',
        ...errorView(outcome.errors, request.t),
      });
    return reply.redirect(`/staff/correspondence/${outcome.item.reference}?done=recorded`, 303);
  });

  async function settingsPage(request: FastifyRequest, reply: FastifyReply) {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return undefined;
    if (!signedIn.organisationId || !maySetCorrespondenceRules(signedIn, signedIn.organisationId))
      throw notFound();
    return signedIn as Staff;
  }

  app.get('/staff/correspondence/settings', async (request, reply) => {
    const user = await settingsPage(request, reply);
    if (!user) return reply;
    const settings = await settingsOf(db, user.organisationId);
    return reply.view(SETTINGS, {
      values: {
        stage1: String(settings.complaint_stage1_days),
        stage2: String(settings.complaint_stage2_days),
        member: String(settings.member_reply_days),
      },
      done: formText(request.query, 'done'),
      backLink: '/staff/correspondence',
    });
  });

  app.post('/staff/correspondence/settings', async (request, reply) => {
    const user = await settingsPage(request, reply);
    if (!user) return reply;
    const read = readSettings(request.body);
    if (!read.ok)
      return reply.code(400).view(SETTINGS, {
        values: request.body,
        backLink: '/staff/correspondence',
        ...errorView(read.errors, request.t),
      });
    await db
      .transaction()
      .execute((trx) => saveSettings(trx, user, actorOf(request, user), user.organisationId, read));
    return reply.redirect('/staff/correspondence/settings?done=saved', 303);
  });

  /** The item of the user's body, or 404: another body's staff learn nothing. */
  async function ownItem(request: FastifyRequest, user: CurrentUser): Promise<CorrespondenceRow> {
    const reference = parseReference((request.params as { reference: string }).reference);
    const item = reference ? await findByReference(db, reference) : undefined;
    if (!item || !mayWorkCorrespondence(user, item.organisation_id)) throw notFound();
    return item;
  }

  async function itemPage(
    request: FastifyRequest,
    user: CurrentUser,
    item: CorrespondenceRow,
    extra: Record<string, unknown> = {},
  ) {
    const now = new Date();
    const [body, colleagues, history] = await Promise.all([
      findOrganisationById(db, item.organisation_id),
      colleaguesOf(item.organisation_id),
      auditForResource(db, 'correspondence', item.id),
    ]);
    const names = new Map(colleagues.map((c) => [c.id, c.display_name]));
    const open = item.state === 'open';
    // An FOI request and its internal review link to each other; a review shows the answer it reviews.
    const [review, reviewed, estimate] = await Promise.all([
      item.kind === 'foi' ? reviewOf(db, item.id) : undefined,
      item.review_of ? findById(db, item.review_of) : undefined,
      costEstimateOf(db, item),
    ]);
    const answeredIt = !!reviewed && isOriginalAnswerer(user, reviewed);
    return {
      item,
      body: bodyName(body, request.locale),
      stateKey: stateKey(item),
      clock: clockView(item, now),
      owner: item.owner_id ? (names.get(item.owner_id) ?? '') : '',
      colleagues,
      history: historyOf(history, names),
      review,
      reviewed,
      answeredIt,
      estimate: estimate && {
        ...estimate,
        cost: poundsText(estimate.costPence),
        limit: poundsText(estimate.limitPence),
      },
      fee: item.fee_pence ? poundsText(item.fee_pence) : null,
      activities: COST_ACTIVITIES,
      outcomes:
        item.kind === 'foi'
          ? FOI_OUTCOMES
          : item.kind === 'review'
            ? REVIEW_OUTCOMES
            : COMPLAINT_OUTCOMES,
      exemptions: EXEMPTIONS,
      qualified: QUALIFIED_EXEMPTIONS,
      may: {
        respond: item.kind !== 'member' && item.kind !== 'review' && open,
        decide: item.kind === 'review' && open && !answeredIt,
        askReview: isReviewable(item, review, now),
        estimate: item.kind === 'foi' && open,
        refuseOnCost: item.kind === 'foi' && open && !!estimate?.overLimit,
        feeNotice: item.kind === 'foi' && open && !item.fee_notice_at && !!item.due_at,
        feePaid: item.state === 'fee-due',
        clarify: item.kind === 'foi' && open && item.extension_days === null,
        clarified: item.kind === 'foi' && item.state === 'clarification',
        extend: item.kind === 'foi' && open && mayExtend(item, now),
        escalate: isEscalatable(item),
        publish: item.kind === 'foi' && item.state === 'closed' && !item.published_at,
        draft: item.kind === 'member' && (item.state === 'drafting' || item.state === 'cleared'),
        clear:
          item.kind === 'member' &&
          item.state === 'drafting' &&
          !!item.draft &&
          mayClearReply(user, item.organisation_id),
        send: item.kind === 'member' && item.state === 'cleared',
        assign: !['closed', 'sent'].includes(item.state),
      },
      values: {
        title: item.subject,
        text: item.response ?? '',
        draft: item.draft ?? '',
        ownerId: item.owner_id ?? '',
      },
      done: formText(request.query, 'done'),
      backLink: `/staff/correspondence?kind=${item.kind}`,
      ...extra,
    };
  }

  app.get('/staff/correspondence/:reference', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const item = await ownItem(request, user);
    // Opening it shows the requester's name, e-mail and words: a read of personal data.
    await recordAudit(db, actorOf(request, user), {
      action: 'correspondence.item.viewed',
      resourceType: 'correspondence',
      resourceId: item.id,
      subjectUserId: item.account_id,
      details: { reference: item.reference, kind: item.kind },
    });
    return reply.view(ITEM, await itemPage(request, user, item));
  });

  /**
   * One action's route: read the form, run the command in a transaction, and either go back to
   * the page with what was done or show it again with the problems (400; 409 when the state
   * changed underneath), nothing changed.
   */
  function action(
    name: string,
    run: (
      user: CurrentUser,
      reference: string,
      request: FastifyRequest,
    ) => Promise<WorkOutcome | Outcome<object>>,
  ) {
    app.post(`/staff/correspondence/:reference/${name}`, async (request, reply) => {
      const user = requireSignIn(request, reply);
      if (!user) return reply;
      const item = await ownItem(request, user);
      const outcome = await run(user, item.reference, request);
      if (!outcome.ok) {
        const fresh = (await findByReference(db, item.reference)) ?? item;
        const stale = outcome.errors.some((e: FieldError) => e.field === 'state');
        return reply.code(stale ? 409 : 400).view(ITEM, {
          ...(await itemPage(request, user, fresh, { failed: name })),
          values: { ...(request.body as object), exemptions: listOf(request.body, 'exemptions') },
          ...errorView(outcome.errors, request.t),
        });
      }
      context.wakeOutbox();
      return reply.redirect(`/staff/correspondence/${item.reference}?done=${name}`, 303);
    });
  }

  const tx = <T>(work: (trx: typeof db) => Promise<T>) => db.transaction().execute(work);

  action('respond', async (user, reference, request) => {
    const item = (await findByReference(db, reference))!;
    const read = readResponse(request.body, item.kind);
    if (!read.ok) return read;
    return tx((trx) =>
      respond(trx, user, actorOf(request, user), reference, read.response, new Date()),
    );
  });
  action('clarify', async (user, reference, request) => {
    const read = readNote(request.body, 'question', 'correspondence.clarify');
    if (!read.ok) return read;
    return tx((trx) =>
      askClarification(trx, user, actorOf(request, user), reference, read.note, new Date()),
    );
  });
  action('clarified', async (user, reference, request) => {
    const read = readNote(request.body, 'answer', 'correspondence.clarified');
    if (!read.ok) return read;
    return tx((trx) =>
      recordClarification(trx, user, actorOf(request, user), reference, read.note, new Date()),
    );
  });
  action('extend', async (user, reference, request) => {
    const read = readExtension(request.body);
    if (!read.ok) return read;
    return tx((trx) =>
      extendForPublicInterest(trx, user, actorOf(request, user), reference, read, new Date()),
    );
  });
  action('escalate', async (user, reference, request) => {
    const read = readNote(request.body, 'escalationReason', 'correspondence.escalate');
    if (!read.ok) return read;
    return tx((trx) =>
      escalateComplaint(trx, user, actorOf(request, user), reference, read.note, new Date()),
    );
  });
  action('publish', async (user, reference, request) => {
    const read = readDisclosure(request.body);
    if (!read.ok) return read;
    return tx((trx) =>
      publishDisclosure(trx, user, actorOf(request, user), reference, read, new Date()),
    );
  });
  action('review', async (user, reference, request) => {
    const read = readNote(request.body, 'reviewReason', 'correspondence.review');
    if (!read.ok) return read;
    return tx((trx) =>
      askForReview(trx, user, actorOf(request, user), reference, read.note, new Date()),
    );
  });
  action('decide', async (user, reference, request) => {
    const read = readReviewDecision(request.body);
    if (!read.ok) return read;
    return tx((trx) =>
      decideReview(
        trx,
        user,
        actorOf(request, user),
        reference,
        { outcome: read.outcome, reasons: read.reasons },
        new Date(),
      ),
    );
  });
  action('estimate', async (user, reference, request) => {
    const read = readCostEstimate(request.body);
    if (!read.ok) return read;
    return tx((trx) =>
      recordCostEstimate(trx, user, actorOf(request, user), reference, read.hours, new Date()),
    );
  });
  action('refuse-cost', async (user, reference, request) => {
    const read = readNote(request.body, 'advice', 'correspondence.cost');
    if (!read.ok) return read;
    return tx((trx) =>
      refuseOnCost(trx, user, actorOf(request, user), reference, read.note, new Date()),
    );
  });
  action('fee', async (user, reference, request) => {
    const read = readFeeNotice(request.body);
    if (!read.ok) return read;
    const fee = { pence: read.pence, description: read.description };
    return tx((trx) =>
      giveFeeNotice(trx, user, actorOf(request, user), reference, fee, new Date()),
    );
  });
  action('fee-paid', async (user, reference, request) =>
    tx((trx) => recordFeePaid(trx, user, actorOf(request, user), reference, new Date())),
  );
  action('assign', async (user, reference, request) =>
    tx((trx) =>
      assignOwner(trx, user, actorOf(request, user), reference, formText(request.body, 'ownerId')),
    ),
  );
  action('draft', async (user, reference, request) =>
    tx((trx) =>
      saveDraft(trx, user, actorOf(request, user), reference, formText(request.body, 'draft')),
    ),
  );
  action('clear', async (user, reference, request) =>
    tx((trx) => clearReply(trx, user, actorOf(request, user), reference, new Date())),
  );
  action('send', async (user, reference, request) =>
    tx((trx) => sendReply(trx, user, actorOf(request, user), reference, new Date())),
  );
}
