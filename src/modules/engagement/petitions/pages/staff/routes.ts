import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordAudit } from '../../../../../platform/audit/audit.js';
import { notFound } from '../../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../../platform/http/types.js';
import { requireSignIn } from '../../../../identity/index.js';
import { REJECTION_REASONS, type PetitionRow } from '../../../db/tables.js';
import {
  moderatePetition,
  readModeration,
  recordDebate,
  respondToPetition,
  saveSettings,
} from '../../commands/petitions.js';
import { reviewFlag } from '../../commands/signatures.js';
import {
  isPetitionStaff,
  mayModeratePetitions,
  maySetPetitionRules,
} from '../../policies/petitions.js';
import {
  findFlag,
  findPetition,
  openFlags,
  petitionSettings,
  signaturesOf,
  staffPetitions,
} from '../../queries/petitions.js';
import { closingDay, petitionStage, petitionStatus } from '../../rules.js';
import { actorOf, bodiesOf, districtView, petitionSummary } from '../shared.js';

const VIEWS = 'modules/engagement/petitions/pages/staff';
const QUEUE = `${VIEWS}/queue.njk`;
const PETITION = `${VIEWS}/petition.njk`;
const SIGNATURES = `${VIEWS}/signatures.njk`;
const SETTINGS = `${VIEWS}/settings.njk`;

/** Signed-in staff of a body who may moderate its petitions, or 404 (after sign-in). */
function staffUser(
  request: FastifyRequest,
  user: CurrentUser,
): CurrentUser & { organisationId: string } {
  if (!isPetitionStaff(user) || !user.organisationId) throw notFound();
  return user as CurrentUser & { organisationId: string };
}

/** A petition of the user's own body they may moderate; another body's is 404. */
async function ownPetition(
  context: AppContext,
  request: FastifyRequest,
  user: CurrentUser,
): Promise<PetitionRow> {
  const { id } = request.params as { id: string };
  const petition = await findPetition(context.db, id);
  if (!petition || !mayModeratePetitions(user, petition.organisation_id))
    throw notFound({ petition: id });
  return petition;
}

/**
 * The body's staff pages: the queue (petitions to check, live ones, bulk-signing flags), a
 * petition's page (publish or reject, respond, record the debate), its signers (audited) and
 * the body's thresholds and duration.
 */
export function staffPetitionRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  async function petitionPage(
    request: FastifyRequest,
    user: CurrentUser,
    petition: PetitionRow,
    extra: Record<string, unknown> = {},
  ) {
    const now = new Date();
    const bodies = await bodiesOf(db, [petition]);
    return {
      petition,
      summary: petitionSummary(petition, bodies, request.locale, now),
      status: petitionStatus(petition, now),
      stage: petitionStage(petition),
      closingDay: petition.closes_at ? closingDay(petition.closes_at) : null,
      reasons: REJECTION_REASONS,
      values: {},
      done: (request.query as { done?: string }).done,
      ...(petition.state === 'open' ? await districtView(db, petition.id) : { districts: [] }),
      backLink: '/staff/petitions',
      ...extra,
    };
  }

  app.get('/staff/petitions', async (request, reply) => {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return reply;
    const user = staffUser(request, signedIn);
    const now = new Date();
    const petitions = await staffPetitions(db, user.organisationId);
    const bodies = await bodiesOf(db, petitions);
    const summaries = petitions.map((p) => petitionSummary(p, bodies, request.locale, now));
    return reply.view(QUEUE, {
      pending: summaries.filter((p) => p.status === 'pending'),
      live: summaries.filter((p) => p.status !== 'pending'),
      flags: await openFlags(db, user.organisationId),
      maySetRules: maySetPetitionRules(user, user.organisationId),
      done: (request.query as { done?: string }).done,
    });
  });

  app.get('/staff/petitions/settings', async (request, reply) => {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return reply;
    const user = staffUser(request, signedIn);
    if (!maySetPetitionRules(user, user.organisationId)) throw notFound();
    const settings = await petitionSettings(db, user.organisationId);
    return reply.view(SETTINGS, {
      values: {
        durationMonths: String(settings.duration_months),
        responseThreshold: String(settings.response_threshold),
        debateThreshold: String(settings.debate_threshold),
      },
      backLink: '/staff/petitions',
    });
  });

  app.post('/staff/petitions/settings', async (request, reply) => {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return reply;
    const user = staffUser(request, signedIn);
    if (!maySetPetitionRules(user, user.organisationId)) throw notFound();
    const outcome = await db
      .transaction()
      .execute((trx) =>
        saveSettings(trx, actorOf(request, user), user.organisationId, request.body),
      );
    if (!outcome.ok)
      return reply.code(400).view(SETTINGS, {
        values: request.body,
        backLink: '/staff/petitions',
        ...errorView(outcome.errors, request.t),
      });
    return reply.redirect('/staff/petitions?done=settings', 303);
  });

  app.post('/staff/petitions/flags/:flagId', async (request, reply) => {
    const signedIn = requireSignIn(request, reply);
    if (!signedIn) return reply;
    const user = staffUser(request, signedIn);
    const { flagId } = request.params as { flagId: string };
    const flag = await findFlag(db, flagId);
    if (!flag || !mayModeratePetitions(user, flag.organisation_id)) throw notFound();
    const outcome = formText(request.body, 'outcome');
    if (outcome !== 'dismissed' && outcome !== 'struck') throw notFound();
    await db
      .transaction()
      .execute((trx) => reviewFlag(trx, actorOf(request, user), flag.id, outcome, new Date()));
    return reply.redirect('/staff/petitions?done=flag', 303);
  });

  app.get('/staff/petitions/:id', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const petition = await ownPetition(context, request, user);
    return reply.view(PETITION, await petitionPage(request, user, petition));
  });

  app.post('/staff/petitions/:id/moderate', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const petition = await ownPetition(context, request, user);
    const read = readModeration(request.body);
    if (!read.ok)
      return reply.code(400).view(PETITION, {
        ...(await petitionPage(request, user, petition, { values: request.body })),
        ...errorView(read.errors, request.t),
      });
    const changed = await db
      .transaction()
      .execute((trx) =>
        moderatePetition(
          trx,
          actorOf(request, user),
          petition.id,
          read.moderation,
          new Date(),
          context.config.baseUrl,
        ),
      );
    context.wakeOutbox();
    return reply.redirect(
      `/staff/petitions/${petition.id}?done=${changed ? read.moderation.decision : 'already'}`,
      303,
    );
  });

  app.post('/staff/petitions/:id/respond', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const petition = await ownPetition(context, request, user);
    const response = formText(request.body, 'response');
    const outcome = await db
      .transaction()
      .execute((trx) =>
        respondToPetition(trx, actorOf(request, user), petition, response, new Date()),
      );
    if (!outcome.ok)
      return reply.code(400).view(PETITION, {
        ...(await petitionPage(request, user, petition, { values: request.body })),
        ...errorView(outcome.errors, request.t),
      });
    context.wakeOutbox();
    return reply.redirect(`/staff/petitions/${petition.id}?done=responded`, 303);
  });

  app.post('/staff/petitions/:id/debate', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const petition = await ownPetition(context, request, user);
    const outcome = await db
      .transaction()
      .execute((trx) => recordDebate(trx, actorOf(request, user), petition, request.body));
    if (!outcome.ok)
      return reply.code(400).view(PETITION, {
        ...(await petitionPage(request, user, petition, { values: request.body })),
        ...errorView(outcome.errors, request.t),
      });
    return reply.redirect(`/staff/petitions/${petition.id}?done=debate`, 303);
  });

  // Signers' names, addresses and e-mails: every read is audited, one entry per signer shown,
  // so a signer with an account sees it in their access log.
  app.get('/staff/petitions/:id/signatures', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const petition = await ownPetition(context, request, user);
    const signatures = await db.transaction().execute(async (trx) => {
      const rows = await signaturesOf(trx, petition.id);
      const actor = actorOf(request, user);
      await recordAudit(trx, actor, {
        action: 'petition.signatures-viewed',
        resourceType: 'petition',
        resourceId: petition.id,
        subjectUserId: null,
        details: { shown: rows.length },
      });
      for (const row of rows.filter((r) => r.user_id))
        await recordAudit(trx, actor, {
          action: 'petition.signature-viewed',
          resourceType: 'petition_signature',
          resourceId: row.id,
          subjectUserId: row.user_id,
          details: { petitionId: petition.id },
        });
      return rows;
    });
    return reply.view(SIGNATURES, {
      petition,
      signatures,
      backLink: `/staff/petitions/${petition.id}`,
    });
  });
}
