/**
 * The public pages: make a complaint or an FOI request to any body (signed in or not), the
 * disclosure log with its open data (JSON, CSV), and a signed-in person's own correspondence.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { requireSignIn } from '../../../identity/index.js';
import {
  findOrganisationById,
  findOrganisationBySlug,
  listOrganisations,
} from '../../../organisations/index.js';
import { makeRequest } from '../../commands/make.js';
import { parseReference } from '../../commands/reference.js';
import { askForReview, isReviewable } from '../../commands/review.js';
import { escalateComplaint } from '../../commands/work.js';
import { disclosureLog, findDisclosure, type Disclosure } from '../../queries/disclosure-log.js';
import { findById, findByReference, itemsOfAccount, reviewOf } from '../../queries/items.js';
import { mayEscalateOwn, mayViewOwn, requesterAccount } from '../../policies/correspondence.js';
import { readNote, requestFormValues, type RequestForm } from '../../rules/forms.js';
import { ombudsmanFor } from '../../rules/ombudsman.js';
import { actorOf, bodiesOf, bodyChoices, bodyName, stateKey } from '../shared.js';

const VIEWS = 'modules/correspondence/pages/public';
const MAKE = `${VIEWS}/make.njk`;
const SENT = `${VIEWS}/sent.njk`;
const LOG = `${VIEWS}/log.njk`;
const DISCLOSURE = `${VIEWS}/disclosure.njk`;
const YOURS = `${VIEWS}/yours.njk`;
const YOUR_ITEM = `${VIEWS}/your-item.njk`;

/** Where each kind's form lives. */
const PATHS = { complaint: '/complaints/new', foi: '/foi/request' } as const;
const SENT_PATHS = { complaint: '/complaints/sent', foi: '/foi/sent' } as const;

// Each request e-mails an acknowledgement: a limit per address keeps the form from mailing bombs.
const MAKING_LIMIT = { config: { rateLimit: { max: 30, timeWindow: 60 * 60_000 } } };

/** A formula-safe CSV cell: quoted, and a leading = + - @ neutralised (OWASP CSV injection). */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** The disclosure log as open data: what the public page shows, nothing more. */
export function disclosureRecord(d: Disclosure) {
  return {
    reference: d.reference,
    body: d.body,
    bodySlug: d.bodySlug,
    title: d.title,
    outcome: d.outcome,
    exemptions: d.exemptions,
    received: d.receivedOn.toISOString().slice(0, 10),
    responded: d.respondedOn.toISOString().slice(0, 10),
    published: d.publishedAt.toISOString(),
    response: d.text,
  };
}

export function publicCorrespondenceRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  /** The body a `?body=<slug>` filter names; an unknown slug matches nothing. */
  async function bodyIdOf(slug: string): Promise<string | undefined> {
    if (slug === '') return undefined;
    return (await findOrganisationBySlug(db, slug))?.id ?? '00000000-0000-0000-0000-000000000000';
  }

  async function makeView(
    request: FastifyRequest,
    kind: 'complaint' | 'foi',
    values: Partial<RequestForm>,
  ) {
    return { kind, action: PATHS[kind], bodies: await bodyChoices(db, request.locale), values };
  }

  for (const kind of ['complaint', 'foi'] as const) {
    app.get(PATHS[kind], async (request, reply) => {
      const user = request.user;
      // A signed-in person's name and address are filled in for them; they may change them.
      const values = user?.kind === 'citizen' ? { name: user.displayName, email: user.email } : {};
      return reply.view(MAKE, await makeView(request, kind, values));
    });

    app.post(PATHS[kind], MAKING_LIMIT, async (request, reply) => {
      const values = requestFormValues(request.body);
      const outcome = await db
        .transaction()
        .execute((trx) =>
          makeRequest(
            trx,
            actorOf(request, request.user),
            kind,
            values,
            requesterAccount(request.user),
            request.locale,
            new Date(),
          ),
        );
      if (!outcome.ok)
        return reply
          .code(400)
          .view(MAKE, { ...(await makeView(request, kind, values)), ...errorView(outcome.errors, request.t) });
      context.wakeOutbox();
      return reply.redirect(`${SENT_PATHS[kind]}/${outcome.item.reference}`, 303);
    });

    // Shows the reference and when to expect an answer: nothing about the person.
    app.get(`${SENT_PATHS[kind]}/:reference`, async (request, reply) => {
      const reference = parseReference((request.params as { reference: string }).reference);
      const item = reference ? await findByReference(db, reference) : undefined;
      if (!item || item.kind !== kind) throw notFound();
      const body = await findOrganisationById(db, item.organisation_id);
      return reply.view(SENT, {
        kind,
        reference: item.reference,
        body: bodyName(body, request.locale),
        dueAt: item.due_at,
        signedIn: item.account_id !== null && request.user?.id === item.account_id,
      });
    });
  }

  app.get('/foi/disclosure-log', async (request, reply) => {
    const slug = formText(request.query, 'body');
    const entries = await disclosureLog(db, await bodyIdOf(slug));
    const bodies = (await listOrganisations(db)).map((b) => ({
      value: b.slug,
      text: bodyName(b, request.locale),
      selected: b.slug === slug,
    }));
    return reply.view(LOG, { entries, slug, bodies });
  });

  app.get('/foi/disclosure-log.json', async (request, reply) => {
    const entries = await disclosureLog(db, await bodyIdOf(formText(request.query, 'body')));
    return reply.header('cache-control', 'public, max-age=300').send({
      licence: 'Open Government Licence v3.0',
      disclosures: entries.map(disclosureRecord),
    });
  });

  app.get('/foi/disclosure-log.csv', async (request, reply) => {
    const entries = await disclosureLog(db, await bodyIdOf(formText(request.query, 'body')));
    const header = ['reference', 'body', 'title', 'outcome', 'exemptions', 'received', 'responded', 'published', 'response'];
    const lines = entries.map(disclosureRecord).map((d) =>
      [d.reference, d.body, d.title, d.outcome, d.exemptions.join(' '), d.received, d.responded, d.published, d.response]
        .map(csvCell)
        .join(','),
    );
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="foi-disclosure-log.csv"')
      .send([header.join(','), ...lines].join('\r\n') + '\r\n');
  });

  app.get('/foi/disclosure-log/:reference', async (request, reply) => {
    const reference = parseReference((request.params as { reference: string }).reference);
    const entry = reference ? await findDisclosure(db, reference) : undefined;
    if (!entry) throw notFound();
    return reply.view(DISCLOSURE, {
      entry,
      body: (request.locale === 'cy' && entry.bodyCy) || entry.body,
      backLink: '/foi/disclosure-log',
    });
  });

  app.get('/account/correspondence', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    const items = await itemsOfAccount(db, user.id);
    const bodies = await bodiesOf(db, items);
    return reply.view(YOURS, {
      items: items.map((item) => ({
        ...item,
        stateKey: stateKey(item),
        body: bodyName(bodies.get(item.organisation_id), request.locale),
      })),
    });
  });

  async function ownItem(request: FastifyRequest, reply: FastifyReply) {
    const user = requireSignIn(request, reply);
    if (!user) return undefined;
    const reference = parseReference((request.params as { reference: string }).reference);
    const item = reference ? await findByReference(db, reference) : undefined;
    if (!item || !mayViewOwn(user, item)) throw notFound();
    return { user, item };
  }

  async function yourItemView(request: FastifyRequest, found: NonNullable<Awaited<ReturnType<typeof ownItem>>>) {
    const body = await findOrganisationById(db, found.item.organisation_id);
    const review = found.item.kind === 'foi' ? await reviewOf(db, found.item.id) : undefined;
    const reviewed = found.item.review_of ? await findById(db, found.item.review_of) : undefined;
    return {
      review,
      reviewed,
      mayAskReview: isReviewable(found.item, review, new Date()),
      item: found.item,
      stateKey: stateKey(found.item),
      body: bodyName(body, request.locale),
      ombudsman: body ? ombudsmanFor(body) : 'lgsco',
      mayEscalate: mayEscalateOwn(found.user, found.item),
      backLink: '/account/correspondence',
    };
  }

  app.get('/account/correspondence/:reference', async (request, reply) => {
    const found = await ownItem(request, reply);
    if (!found) return reply;
    return reply.view(YOUR_ITEM, await yourItemView(request, found));
  });

  /**
   * A requester's own step on their item (escalating a complaint, asking for an FOI review): a
   * note with reasons read from the form, the command run in a transaction, the page again with
   * the errors (409 when the item has moved on), else back to the item.
   */
  function requesterStep(
    action: string,
    field: string,
    messages: string,
    step: typeof escalateComplaint,
    done: (reference: string) => string,
  ): void {
    app.post(`/account/correspondence/:reference/${action}`, async (request, reply) => {
      const found = await ownItem(request, reply);
      if (!found) return reply;
      const read = readNote(request.body, field, messages);
      const outcome = read.ok
        ? await db
            .transaction()
            .execute((trx) =>
              step(trx, found.user, actorOf(request, found.user), found.item.reference, read.note, new Date()),
            )
        : read;
      if (!outcome.ok)
        return reply.code(outcome.errors[0]?.field === 'state' ? 409 : 400).view(YOUR_ITEM, {
          ...(await yourItemView(request, found)),
          values: request.body,
          ...errorView(outcome.errors, request.t),
        });
      context.wakeOutbox();
      return reply.redirect(done(outcome.item.reference), 303);
    });
  }

  requesterStep(
    'escalate',
    'escalationReason',
    'correspondence.escalate',
    escalateComplaint,
    (reference) => `/account/correspondence/${reference}?done=escalated`,
  );
  // The requester asks for an internal review of an FOI answer from their account: the review is
  // an item of its own, where they are sent.
  requesterStep(
    'review',
    'reviewReason',
    'correspondence.review',
    askForReview,
    (reference) => `/account/correspondence/${reference}`,
  );
}

