import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../../platform/http/forms.js';
import type { AppContext, CurrentUser } from '../../../../../platform/http/types.js';
import { requireLevel } from '../../../assurance.js';
import { requireSignIn } from '../../../guards.js';
import {
  findCitizenByEmail,
  findCitizenById,
  IDENTITY_DOCUMENTS,
  mayVerifyFaceToFace,
  readDocumentsSeen,
  verifyFaceToFace,
} from '../../../commands/verification.js';
import { readConfirmedIdentity } from '../../../commands/verified-identity.js';
import { ukToday } from '../../../../../platform/validation/validators.js';

/** The fields in which the adviser confirms the person's name, date of birth and address. */
const IDENTITY_FIELDS = [
  'givenName',
  'familyName',
  'dateOfBirth-day',
  'dateOfBirth-month',
  'dateOfBirth-year',
  'addressLine1',
  'addressLine2',
  'town',
  'postcode',
] as const;

const VIEWS = 'modules/identity/pages/verify/counter';
const SEARCH = `${VIEWS}/search.njk`;
const RECORD = `${VIEWS}/record.njk`;
const DONE = `${VIEWS}/done.njk`;

/**
 * The counter adviser, signed in at level 2, or a reply already sent. Anyone else gets 404, so
 * the pages do not even show they exist.
 */
function requireAdviser(request: FastifyRequest, reply: FastifyReply): CurrentUser | null {
  const user = requireSignIn(request, reply);
  if (!user) return null;
  if (!mayVerifyFaceToFace(user)) throw notFound({ page: 'counter', userId: user.id });
  return requireLevel(request, reply, 2);
}

function checkboxValues(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Face-to-face identity verification: a counter adviser finds the person and records the documents seen. */
export function counterRoutes(app: FastifyInstance, { db }: AppContext): void {
  app.get('/verify/counter', async (request, reply) => {
    if (!requireAdviser(request, reply)) return reply;
    return reply.view(SEARCH, { values: {}, fieldErrors: {} });
  });

  app.post('/verify/counter', async (request, reply) => {
    if (!requireAdviser(request, reply)) return reply;
    const email = formText(request.body, 'email');
    const message = !email
      ? 'identity.verify.counter.email.missing'
      : (await findCitizenByEmail(db, email))
        ? undefined
        : 'identity.verify.counter.email.unknown';
    if (message) {
      return reply.code(400).view(SEARCH, {
        values: { email },
        ...errorView([{ field: 'email', message }], request.t),
      });
    }
    const person = (await findCitizenByEmail(db, email))!;
    return reply.redirect(`/verify/counter/${person.id}`, 303);
  });

  app.get('/verify/counter/:userId', async (request, reply) => {
    if (!requireAdviser(request, reply)) return reply;
    const person = await findCitizenById(db, (request.params as { userId: string }).userId);
    if (!person) throw notFound();
    return reply.view(RECORD, {
      person,
      documents: IDENTITY_DOCUMENTS,
      values: { documents: [] },
      fieldErrors: {},
      backLink: '/verify/counter',
    });
  });

  app.post('/verify/counter/:userId', async (request, reply) => {
    const adviser = requireAdviser(request, reply);
    if (!adviser) return reply;
    const person = await findCitizenById(db, (request.params as { userId: string }).userId);
    if (!person) throw notFound();
    const documents = checkboxValues(request.body, 'documents');
    const last4 = Object.fromEntries(
      IDENTITY_DOCUMENTS.map((d) => [d, formText(request.body, `last4-${d}`)]),
    );
    const confirmed = formText(request.body, 'confirmed') === 'yes';
    const typed = Object.fromEntries(
      IDENTITY_FIELDS.map((name) => [name, formText(request.body, name)]),
    );
    const identity = readConfirmedIdentity(typed, ukToday());
    const reading = readDocumentsSeen({ documents, last4, confirmed });
    const outcome =
      reading.ok && identity.ok
        ? await db.transaction().execute((trx) =>
            verifyFaceToFace(trx, adviser, request.id, {
              userId: person.id,
              documents: reading.documents,
              identity: identity.identity,
            }),
          )
        : {
            ok: false as const,
            errors: [
              ...(identity.ok ? [] : identity.errors),
              ...(reading.ok ? [] : reading.errors),
            ],
          };
    if (!outcome.ok) {
      return reply.code(400).view(RECORD, {
        person,
        documents: IDENTITY_DOCUMENTS,
        values: { ...typed, documents, last4, confirmed },
        backLink: '/verify/counter',
        ...errorView(outcome.errors, request.t),
      });
    }
    request.log.info(
      { userId: person.id, adviserId: adviser.id },
      'identity verified face to face',
    );
    return reply.redirect(`/verify/counter/${person.id}/done`, 303);
  });

  app.get('/verify/counter/:userId/done', async (request, reply) => {
    if (!requireAdviser(request, reply)) return reply;
    const person = await findCitizenById(db, (request.params as { userId: string }).userId);
    if (!person || person.identity_level !== 'P2') throw notFound();
    return reply.view(DONE, { person });
  });
}
