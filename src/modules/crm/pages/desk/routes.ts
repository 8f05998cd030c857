/**
 * The adviser's desk (`/adviser`): find the customer, confirm the caller and say why the record
 * is opened, the single customer view, assisted digital and the contact log, and the contact
 * centre's call-back queue. Only advisers (the counter-adviser role) reach it; anyone else gets
 * 404 after signing in. Refusals (no reason, failed questions, no agreement, no consent) are
 * pages with status 403 or 400 and are audited.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../../platform/errors/errors.js';
import { errorView, formText } from '../../../../platform/http/forms.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { formatDateTime } from '../../../../platform/i18n/i18n.js';
import { servicesWithForms } from '../../../catalogue/index.js';
import {
  findUserById,
  hashSessionToken,
  requireSignIn,
  SESSION_COOKIE,
} from '../../../identity/index.js';
import { actorOf } from '../../commands/actor.js';
import {
  checkIdentity,
  currentAccess,
  MAX_REASON_DETAILS,
  readAnswers,
  recordRefusal,
  recordView,
  type CallerAnswers,
  type Refusal,
} from '../../commands/access.js';
import { startAssisting, stopAssisting } from '../../commands/assist.js';
import { assistedFee, startPhonePayment } from '../../commands/phone-payments.js';
import { formatFee } from '../../../fees/index.js';
import {
  completeCallback,
  logContact,
  MAX_NOTES,
  readContact,
  type ContactInput,
} from '../../commands/contacts.js';
import {
  ASSISTED_CHANNELS,
  CONTACT_CHANNELS,
  CONTACT_OUTCOMES,
  CONTACT_REASONS,
  OPEN_REASONS,
} from '../../db/tables.js';
import { isAdviser, isContactCentre, type Adviser } from '../../policies/desk.js';
import { sharedWith } from '../../queries/agreements.js';
import { callbackQueue } from '../../queries/contacts.js';
import { customerView } from '../../queries/customer-view.js';
import {
  EMPTY_SEARCH,
  isBlank,
  readSearch,
  searchCustomers,
  type SearchInput,
} from '../../queries/search.js';
import { isUuid } from '../../../../platform/validation/uuid.js';

const VIEWS = 'modules/crm/pages/desk';
const SEARCH = `${VIEWS}/search.njk`;
const CONFIRM = `${VIEWS}/confirm.njk`;
const REFUSED = `${VIEWS}/refused.njk`;
const CUSTOMER = `${VIEWS}/customer.njk`;
const ASSIST = `${VIEWS}/assist.njk`;
const CONTACT = `${VIEWS}/contact.njk`;
const CALLBACKS = `${VIEWS}/callbacks.njk`;
const REFERENCE = /^JU-[A-Z0-9]{4}-[A-Z0-9]{4}$/;

type Errors = Parameters<typeof errorView>[0];

const radios = (
  request: FastifyRequest,
  prefix: string,
  values: readonly string[],
  chosen: string,
) =>
  values.map((value) => ({
    value,
    text: request.t(`${prefix}.${value}`),
    checked: value === chosen,
  }));

export function deskRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  /** The signed-in adviser, or a reply: sign-in for nobody, 404 for anyone else. */
  function adviserOf(request: FastifyRequest, reply: FastifyReply): Adviser | null {
    const user = requireSignIn(request, reply);
    if (!user) return null;
    if (!isAdviser(user)) throw notFound({ userId: user.id, reason: 'not an adviser' });
    return user;
  }

  /** The customer's account named in the path (a person's own, not deleted), or 404. */
  async function customerOf(request: FastifyRequest) {
    const { id } = request.params as { id: string };
    const customer = isUuid(id) ? await findUserById(db, id) : undefined;
    if (!customer || customer.kind !== 'citizen' || customer.deleted_at) throw notFound({ id });
    return customer;
  }

  /** "You cannot see this record": 403, audited with why. */
  async function refuse(
    request: FastifyRequest,
    reply: FastifyReply,
    adviser: Adviser,
    customerId: string | null,
    refusal: Refusal,
  ) {
    if (customerId) await recordRefusal(db, actorOf(request, adviser), customerId, refusal);
    request.log.info({ adviser: adviser.id, customerId, refusal }, 'adviser refused a record');
    return reply.code(403).view(REFUSED, {
      refusal,
      confirmHref: customerId ? `/adviser/customers/${customerId}/confirm` : null,
      backLink: '/adviser',
    });
  }

  /**
   * The adviser with the customer's record open to them: the body is a contact centre and the
   * caller passed the questions within the hour. Otherwise replies with the refusal (audited).
   */
  async function openRecord(request: FastifyRequest, reply: FastifyReply) {
    const adviser = adviserOf(request, reply);
    if (!adviser) return null;
    const customer = await customerOf(request);
    const shared = await sharedWith(db, adviser.organisationId);
    if (!isContactCentre(shared)) {
      await refuse(request, reply, adviser, customer.id, 'no-agreement');
      return null;
    }
    const access = await currentAccess(db, adviser, customer.id);
    if (!access.ok) {
      await refuse(request, reply, adviser, customer.id, access.refusal);
      return null;
    }
    return { adviser, customer, shared, reason: access.reason };
  }

  function searchInput(query: unknown): SearchInput {
    const input = { ...EMPTY_SEARCH };
    for (const key of Object.keys(input) as (keyof SearchInput)[])
      input[key] = formText(query, key);
    return input;
  }

  app.get('/adviser', async (request, reply) => {
    const adviser = adviserOf(request, reply);
    if (!adviser) return reply;
    if (!isContactCentre(await sharedWith(db, adviser.organisationId)))
      return refuse(request, reply, adviser, null, 'no-agreement');
    const values = searchInput(request.query);
    if (isBlank(values)) return reply.view(SEARCH, { values, results: null });
    const checked = readSearch(values);
    if (!checked.ok)
      return reply
        .code(400)
        .view(SEARCH, { values, results: null, ...errorView(checked.errors, request.t) });
    const results = await searchCustomers(db, actorOf(request, adviser), checked.search);
    return reply.view(SEARCH, { values, results });
  });

  function confirmPage(
    request: FastifyRequest,
    customer: { id: string; display_name: string },
    values: Record<string, string>,
    errors: Errors = [],
  ) {
    return {
      ...errorView(errors, request.t),
      customer,
      values,
      maxDetails: MAX_REASON_DETAILS,
      reasons: radios(request, 'crm.confirm.reason', OPEN_REASONS, values.reason ?? ''),
      backLink: '/adviser',
    };
  }

  app.get('/adviser/customers/:id/confirm', async (request, reply) => {
    const adviser = adviserOf(request, reply);
    if (!adviser) return reply;
    const customer = await customerOf(request);
    return reply.view(CONFIRM, confirmPage(request, customer, {}));
  });

  app.post('/adviser/customers/:id/confirm', async (request, reply) => {
    const adviser = adviserOf(request, reply);
    if (!adviser) return reply;
    const customer = await customerOf(request);
    const actor = actorOf(request, adviser);
    const fields = [
      'birthDay',
      'birthMonth',
      'birthYear',
      'postcode',
      'email',
      'phone',
      'reference',
      'reason',
      'details',
    ];
    const values = Object.fromEntries(fields.map((f) => [f, formText(request.body, f)]));
    if (!isContactCentre(await sharedWith(db, adviser.organisationId)))
      return refuse(request, reply, adviser, customer.id, 'no-agreement');
    const checked = readAnswers(values as unknown as CallerAnswers, {
      code: values.reason!,
      details: values.details!,
    });
    if (!checked.ok) {
      // Opening a record without a reason is refused, and the attempt is in the audit log.
      if (checked.errors.some((e) => e.field === 'reason'))
        await recordRefusal(db, actor, customer.id, 'no-reason');
      return reply.code(400).view(CONFIRM, confirmPage(request, customer, values, checked.errors));
    }
    const outcome = await db
      .transaction()
      .execute((trx) =>
        checkIdentity(trx, adviser, actor, customer.id, checked.asked, checked.reason),
      );
    if (!outcome.passed) return refuse(request, reply, adviser, customer.id, 'identity-failed');
    return reply.redirect(`/adviser/customers/${customer.id}`, 303);
  });

  app.get('/adviser/customers/:id', async (request, reply) => {
    const open = await openRecord(request, reply);
    if (!open) return reply;
    const { adviser, customer, shared, reason } = open;
    const view = await customerView(
      context,
      adviser.organisationId,
      shared,
      customer.id,
      request.t,
      request.locale,
    );
    if (!view) throw notFound({ id: customer.id });
    await recordView(db, actorOf(request, adviser), customer.id, reason);
    const sent = formText(request.query, 'sent');
    const paid = formText(request.query, 'paid');
    // Just sent, or back from taking its fee by card over the phone: how its fee stands.
    const feeReference = [paid, sent].find((r) => REFERENCE.test(r));
    const fee = feeReference
      ? await assistedFee(db, adviser, shared, customer.id, feeReference, feeReference === paid)
      : null;
    return reply.view(CUSTOMER, {
      customer,
      view,
      sent: REFERENCE.test(sent) ? sent : null,
      fee: fee ? { ...fee, amountText: formatFee(fee.amount) } : null,
      backFromPayment: !!fee && feeReference === paid,
      assisting: request.user?.actingFor?.userId === customer.id && !!request.user.assisting,
      backLink: '/adviser',
    });
  });

  // "Take a card payment now (card over the phone)": a MOTO payment of the application's fee,
  // whose card page only this adviser's session can use; back to the record afterwards.
  app.post('/adviser/customers/:id/pay', async (request, reply) => {
    const open = await openRecord(request, reply);
    if (!open) return reply;
    const { adviser, customer, shared } = open;
    const reference = formText(request.body, 'reference');
    if (!REFERENCE.test(reference)) throw notFound({ reference });
    const started = await db.transaction().execute((trx) =>
      startPhonePayment(trx, adviser, actorOf(request, adviser), {
        customer: { id: customer.id, email: customer.email },
        reference,
        shared,
        language: request.locale,
      }),
    );
    if (started.ok) return reply.redirect(started.nextUrl, 303);
    if (started.reason === 'not-found') throw notFound({ reference, customerId: customer.id });
    // Paid already, or the body takes no card payments by phone: the record says which.
    return reply.redirect(`/adviser/customers/${customer.id}?sent=${reference}`, 303);
  });

  async function assistPage(
    request: FastifyRequest,
    customer: { id: string; display_name: string },
    values: Record<string, string>,
    errors: Errors = [],
  ) {
    const services = (await servicesWithForms(db)).filter((s) => s.status === 'published');
    return {
      ...errorView(errors, request.t),
      customer,
      values,
      channels: radios(request, 'crm.channel', ASSISTED_CHANNELS, values.channel ?? ''),
      services: [
        { value: '', text: request.t('crm.assist.chooseService') },
        ...services.map((s) => ({
          value: s.slug,
          text: `${request.locale === 'cy' && s.titleCy ? s.titleCy : s.title} (${request.locale === 'cy' && s.organisation.nameCy ? s.organisation.nameCy : s.organisation.name})`,
          selected: s.slug === values.serviceSlug,
        })),
      ],
      backLink: `/adviser/customers/${customer.id}`,
    };
  }

  app.get('/adviser/customers/:id/assist', async (request, reply) => {
    const open = await openRecord(request, reply);
    if (!open) return reply;
    return reply.view(ASSIST, await assistPage(request, open.customer, {}));
  });

  app.post('/adviser/customers/:id/assist', async (request, reply) => {
    const open = await openRecord(request, reply);
    if (!open) return reply;
    const { adviser, customer } = open;
    const token = request.cookies[SESSION_COOKIE];
    if (!token) throw notFound();
    const values = {
      channel: formText(request.body, 'channel'),
      consent: formText(request.body, 'consent'),
      serviceSlug: formText(request.body, 'serviceSlug'),
    };
    const actor = actorOf(request, adviser);
    const outcome = await db.transaction().execute((trx) =>
      startAssisting(trx, adviser, actor, {
        ...values,
        sessionHash: hashSessionToken(token),
        customerId: customer.id,
      }),
    );
    if (!outcome.ok) {
      // Filling in a service for someone who did not agree is refused, and the attempt audited.
      if (values.consent !== 'yes') await recordRefusal(db, actor, customer.id, 'no-consent');
      return reply
        .code(400)
        .view(ASSIST, await assistPage(request, customer, values, outcome.errors));
    }
    return reply.redirect(outcome.path, 303);
  });

  app.post('/adviser/assist/stop', async (request, reply) => {
    const adviser = adviserOf(request, reply);
    if (!adviser) return reply;
    const token = request.cookies[SESSION_COOKIE];
    const customerId = token
      ? await db
          .transaction()
          .execute((trx) =>
            stopAssisting(trx, adviser, actorOf(request, adviser), hashSessionToken(token)),
          )
      : null;
    return reply.redirect(customerId ? `/adviser/customers/${customerId}` : '/adviser', 303);
  });

  const CONTACT_FIELDS = [
    'channel',
    'reason',
    'outcome',
    'minutes',
    'applicationReference',
    'notes',
    'callback',
    'callbackDay',
    'callbackMonth',
    'callbackYear',
    'callbackTime',
    'callbackPhone',
  ] as const;

  function contactPage(
    request: FastifyRequest,
    customer: { id: string; display_name: string },
    values: Record<string, string>,
    errors: Errors = [],
  ) {
    return {
      ...errorView(errors, request.t),
      customer,
      values,
      maxNotes: MAX_NOTES,
      channels: radios(request, 'crm.channel', CONTACT_CHANNELS, values.channel ?? ''),
      reasons: [
        { value: '', text: request.t('crm.contact.chooseReason') },
        ...CONTACT_REASONS.map((value) => ({
          value,
          text: request.t(`crm.value.${value}`),
          selected: value === values.reason,
        })),
      ],
      outcomes: radios(request, 'crm.value', CONTACT_OUTCOMES, values.outcome ?? ''),
      backLink: `/adviser/customers/${customer.id}`,
    };
  }

  app.get('/adviser/customers/:id/contact', async (request, reply) => {
    const open = await openRecord(request, reply);
    if (!open) return reply;
    const sent = formText(request.query, 'reference');
    return reply.view(CONTACT, contactPage(request, open.customer, { applicationReference: sent }));
  });

  app.post('/adviser/customers/:id/contact', async (request, reply) => {
    const open = await openRecord(request, reply);
    if (!open) return reply;
    const values = Object.fromEntries(
      CONTACT_FIELDS.map((f) => [f, formText(request.body, f)]),
    ) as unknown as ContactInput;
    const checked = readContact(values);
    if (!checked.ok)
      return reply
        .code(400)
        .view(
          CONTACT,
          contactPage(
            request,
            open.customer,
            values as unknown as Record<string, string>,
            checked.errors,
          ),
        );
    await db
      .transaction()
      .execute((trx) =>
        logContact(
          trx,
          open.adviser,
          actorOf(request, open.adviser),
          open.customer.id,
          checked.contact,
        ),
      );
    return reply.redirect(`/adviser/customers/${open.customer.id}?logged=1`, 303);
  });

  app.get('/adviser/callbacks', async (request, reply) => {
    const adviser = adviserOf(request, reply);
    if (!adviser) return reply;
    const queue = await callbackQueue(db, adviser.organisationId);
    return reply.view(CALLBACKS, {
      rows: queue.map((c) => ({
        id: c.id,
        due: formatDateTime(c.due_at, request.locale),
        overdue: c.due_at < new Date(),
        name: c.customerName,
        phone: c.phone,
        customerId: c.customer_user_id,
      })),
      backLink: '/adviser',
    });
  });

  app.post('/adviser/callbacks/:callbackId/done', async (request, reply) => {
    const adviser = adviserOf(request, reply);
    if (!adviser) return reply;
    const { callbackId } = request.params as { callbackId: string };
    const done = await db
      .transaction()
      .execute((trx) => completeCallback(trx, adviser, actorOf(request, adviser), callbackId));
    if (!done) throw notFound({ callbackId });
    return reply.redirect('/adviser/callbacks', 303);
  });
}
