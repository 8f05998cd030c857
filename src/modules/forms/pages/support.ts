/**
 * What every page of the application journey shares: finding the service, the form version and
 * the draft (a signed-in person's, a client's when an agent acts for them, or the draft of
 * someone without an account through the token in their cookie), saving answers, refusing an
 * agent without authority, prefilling from the account and the GOV.UK error view.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../../platform/audit/audit.js';
import { notFound } from '../../../platform/errors/errors.js';
import { formText } from '../../../platform/http/forms.js';
import { enqueue } from '../../../platform/outbox/outbox.js';
import type { AppContext, CurrentUser } from '../../../platform/http/types.js';
import type { Locale } from '../../../platform/i18n/i18n.js';
import {
  actingEntryOf,
  businessesToApplyFor,
  canActFor,
  type ApplyingBusiness,
} from '../../agents/index.js';
import { findPublishedService, type PublicService } from '../../catalogue/index.js';
import { findUserById, findVerifiedIdentity, requireLevel } from '../../identity/index.js';
import type { FormDraftRow } from '../db/tables.js';
import {
  adoptDraft,
  createAnonymousDraft,
  findAnonymousDraft,
  findDraft,
  findDraftByAgent,
  mergeAnswers,
  RESUME_DAYS,
  saveAnswers,
  type DraftAgent,
} from '../drafts.js';
import type { PageError } from '../journey.js';
import { journeyStepMessage } from '../journey-steps.js';
import { parseUkPhone } from '../parsers.js';
import type { Answers, Bilingual, FormDefinition, ItemQuestion, Question } from '../schema.js';
import { publishedForm, publishedVersion } from '../versions.js';
import { valuesOf, type FieldErrors, type Values } from './question/view-model.js';
import { isUuid } from '../../../platform/validation/uuid.js';

export const REFUSED = 'modules/forms/pages/not-authorised/not-authorised.njk';
export const NO_BUSINESS = 'modules/forms/pages/business/no-business.njk';
/** The route of the page asking which business an application is for (see pages/business). */
export const BUSINESS_ROUTE = '/services/:slug/apply/business';

/** The hidden field that says whom a journey page was shown for: the client's id, or empty. */
export const ACTING_FIELD = 'actingFor';

/** Everything a journey page needs, loaded once per request. */
export interface Journey {
  service: PublicService;
  form: FormDefinition;
  /** The form version answers are checked against: the draft's, or the latest published. */
  version: { key: string; version: number };
  /** The signed-in person; null for someone without an account (a level 0 service). */
  user: CurrentUser | null;
  /** Whose application it is: the person, the client an agent acts for, or nobody (yet). */
  applicantId: string | null;
  draft: FormDraftRow | undefined;
  /** The secret of an anonymous draft, from the cookie. */
  token: string | null;
  agent: DraftAgent | null;
  acting: { client: string; business: string } | null;
  /**
   * For a form for businesses (`applicant: "business"`): the business or charity account the
   * application is for — chosen on the journey's business page, or the only one there is — and
   * those the applicant may choose from. Null and empty for any other form.
   */
  business: ApplyingBusiness | null;
  businesses: ApplyingBusiness[];
  answers: Answers;
  /** `/services/<slug>/apply` */
  base: string;
}

/** The cookie holding the token of someone's anonymous draft of one service. */
export function draftCookieName(slug: string): string {
  return `ju_draft_${slug}`;
}

/** Problems as the GOV.UK error summary and each field's message need them, in one language. */
export function errorsView(errors: PageError[], locale: Locale) {
  const errorList = errors.map((e) => ({ text: e.message[locale], href: `#${e.field}` }));
  const fieldErrors: FieldErrors = {};
  for (const e of errors) fieldErrors[e.field] ??= { text: e.message[locale] };
  return { errorList, fieldErrors };
}

/** One error at one input, from a message in both languages. */
export function pageError(field: string, message: Bilingual): PageError {
  return { field, message };
}

export function actorOf(request: FastifyRequest, user: CurrentUser | null): Actor {
  if (!user) return { userId: null, organisationId: null, role: 'public', requestId: request.id };
  return {
    userId: user.id,
    organisationId: user.organisationId,
    role: user.assisting ? 'counter-adviser' : user.actingFor ? 'agent' : user.kind,
    requestId: request.id,
  };
}

/** The journey's shared behaviour over the app's database and configuration. */
export function journeySupport({ db, config }: AppContext) {
  const secure = config.baseUrl.startsWith('https://');

  /** "You cannot act for Sam Citizen in this service": 403, with a way to stop acting. */
  function refuse(
    request: FastifyRequest,
    reply: FastifyReply,
    service: PublicService,
    user: CurrentUser,
    clientName: string | null,
  ) {
    request.log.info(
      { userId: user.id, actingFor: user.actingFor?.userId ?? null, serviceId: service.id },
      'agent refused: no authority for this client in this service',
    );
    return reply.code(403).view(REFUSED, { service, clientName });
  }

  /**
   * "You need a business or charity account to apply": not an error, the way in — how to make
   * one (or, for an agent, that the client must). Nothing is saved.
   */
  function noBusiness(
    request: FastifyRequest,
    reply: FastifyReply,
    service: PublicService,
    clientName: string | null,
  ) {
    request.log.info(
      { serviceId: service.id, acting: !!clientName },
      'no business account to apply for',
    );
    return reply.view(NO_BUSINESS, { service, clientName, backLink: `/services/${service.slug}` });
  }

  function setDraftCookie(reply: FastifyReply, slug: string, token: string) {
    reply.setCookie(draftCookieName(slug), token, {
      path: `/services/${slug}/apply`,
      httpOnly: true,
      sameSite: 'lax',
      secure,
      maxAge: RESUME_DAYS * 24 * 60 * 60,
    });
  }

  function clearDraftCookie(reply: FastifyReply, slug: string) {
    reply.clearCookie(draftCookieName(slug), { path: `/services/${slug}/apply` });
  }

  /**
   * Loads the service, who is applying, their draft and the form version. Replies itself (and
   * returns undefined) when the person must sign in, step up, or may not act for the client.
   * Applying needs an account unless the service needs none (level 0): then someone not signed
   * in applies anonymously, continuing through the token in their cookie.
   */
  async function load(request: FastifyRequest, reply: FastifyReply): Promise<Journey | undefined> {
    const { slug } = request.params as { slug: string };
    const service = await findPublishedService(db, slug, request.locale);
    if (!service?.formKey) throw notFound({ slug });
    const base = `/services/${service.slug}/apply`;
    const anonymous = service.requiredLevel === 0 && !request.user;
    let user: CurrentUser | null = null;
    if (!anonymous) {
      // A service may need more than an account: a lower session is stepped up in place and
      // brought back here.
      user = requireLevel(request, reply, service.requiredLevel);
      if (!user) return undefined;
    }
    const client = user?.actingFor ?? null;
    // An adviser assisting a customer was checked by the crm module's hook on this request
    // (role, confirmed caller, consent); an agent needs the client's authority for the service.
    if (
      user &&
      client &&
      !user.assisting &&
      !(await canActFor(db, user, client.userId, service.id))
    ) {
      await refuse(request, reply, service, user, client.displayName);
      return undefined;
    }
    const entry = client ? actingEntryOf(user) : null;
    // Acting for a client, the draft is the client's: the agent continues it, and so can they.
    const applicantId = user ? (client?.userId ?? user.id) : null;
    const cookie = request.cookies[draftCookieName(service.slug)] ?? null;
    let draft: FormDraftRow | undefined;
    let token: string | null = null;
    if (applicantId) {
      draft = await findDraft(db, applicantId, service.id);
      // Signed in while answering without an account: the answers so far become theirs.
      if (!draft && cookie && !client) {
        const anonymousDraft = await findAnonymousDraft(db, cookie, service.id);
        if (anonymousDraft && (await adoptDraft(db, anonymousDraft.id, applicantId)))
          draft = await findDraft(db, applicantId, service.id);
      }
      if (cookie) clearDraftCookie(reply, service.slug);
    } else if (cookie) {
      draft = await findAnonymousDraft(db, cookie, service.id);
      token = draft ? cookie : null;
    }
    const pinned =
      draft?.form_key && draft.form_version
        ? await publishedVersion(db, draft.form_key, draft.form_version)
        : undefined;
    const current = pinned ? undefined : await publishedForm(db, service.formKey);
    const form = pinned ?? current?.definition;
    if (!form) throw notFound({ slug, formKey: service.formKey });
    let business: ApplyingBusiness | null = null;
    let businesses: ApplyingBusiness[] = [];
    if (form.applicant === 'business') {
      // Only for a business: someone must sign in, even where the service needs no account.
      if (!user || !applicantId) return void requireLevel(request, reply, 1);
      businesses = await businessesToApplyFor(db, applicantId, { throughAgent: !!client });
      if (businesses.length === 0) {
        await noBusiness(request, reply, service, client?.displayName ?? null);
        return undefined;
      }
      business =
        businesses.find((b) => b.id === draft?.business_id) ??
        (businesses.length === 1 ? businesses[0]! : null);
      // Several and none chosen yet: which one comes first.
      if (!business && request.routeOptions.url !== BUSINESS_ROUTE) {
        reply.redirect(`${base}/business`, 303);
        return undefined;
      }
    }
    return {
      service,
      form,
      version: pinned
        ? { key: draft!.form_key!, version: draft!.form_version! }
        : { key: service.formKey, version: current!.version },
      user,
      applicantId,
      draft,
      token,
      agent: entry ? { userId: user!.id, businessId: entry.agentBusinessId } : null,
      acting: entry ? { client: entry.clientName, business: entry.agentBusinessName } : null,
      business,
      businesses,
      answers: draft?.answers ?? {},
      base,
    };
  }

  /**
   * Saves answers into the draft, creating it on the version the journey began on. Someone
   * without an account gets a draft of their own and the cookie to continue it.
   */
  async function save(journey: Journey, reply: FastifyReply, answers: Answers): Promise<void> {
    const { service } = journey;
    // The step is announced for the performance module in the same transaction as the answers.
    await db.transaction().execute(async (trx) => {
      let draftId: string;
      if (journey.applicantId) {
        draftId = await saveAnswers(
          trx,
          journey.applicantId,
          service.id,
          journey.version,
          answers,
          journey.agent,
        );
      } else if (journey.draft && journey.token) {
        await mergeAnswers(trx, journey.draft.id, answers);
        draftId = journey.draft.id;
      } else {
        const created = await createAnonymousDraft(trx, service.id, journey.version, answers);
        journey.draft = created.draft;
        journey.token = created.token;
        setDraftCookie(reply, service.slug, created.token);
        draftId = created.draft.id;
      }
      Object.assign(journey.answers, answers);
      await enqueue(trx, journeyStepMessage(draftId, journey));
    });
  }

  /**
   * True when the posted page was shown for whom the user now acts for. When it was shown for a
   * client the user no longer acts for, replies 403 (naming the client only if this agent
   * worked on that client's draft); when it was shown for the user themselves and they now act
   * for a client, sends them to the client's journey.
   */
  async function samePerson(
    request: FastifyRequest,
    reply: FastifyReply,
    journey: Journey,
    shownFor = formText(request.body, ACTING_FIELD),
  ): Promise<boolean> {
    const now = journey.user?.actingFor?.userId ?? '';
    if (shownFor === now) return true;
    if (!shownFor || !journey.user) {
      reply.redirect(journey.base, 303);
      return false;
    }
    const draft = isUuid(shownFor)
      ? await findDraftByAgent(db, journey.user.id, shownFor, journey.service.id)
      : undefined;
    const client = draft ? await findUserById(db, shownFor) : undefined;
    await refuse(request, reply, journey.service, journey.user, client?.display_name ?? null);
    return false;
  }

  /**
   * Values from the account for questions not yet answered that ask for them (`prefill`): the
   * person's name, e-mail, phone and verified address, which they can change. Never when an
   * agent acts for a client: the agent's details are not the client's.
   */
  async function prefill(
    journey: Journey,
    questions: (Question | ItemQuestion)[],
  ): Promise<Values> {
    const user = journey.user;
    const wanted = questions.filter(
      (q) => 'prefill' in q && q.prefill && !Object.hasOwn(journey.answers, q.name),
    );
    // The business applied for is the client's when an agent applies: its details may be used.
    const fromBusiness = businessPrefill(journey.business, wanted);
    if (!user || user.actingFor) return fromBusiness;
    if (wanted.length === 0) return {};
    const needs = new Set(wanted.map((q) => (q as { prefill: string }).prefill));
    const identity =
      needs.has('address') || needs.has('fullName')
        ? await findVerifiedIdentity(db, user.id)
        : undefined;
    const account = needs.has('phone') ? await findUserById(db, user.id) : undefined;
    const values: Values = { ...fromBusiness };
    for (const question of wanted) {
      switch ((question as { prefill: string }).prefill) {
        case 'fullName':
          values[question.name] = identity
            ? `${identity.givenName} ${identity.familyName}`
            : user.displayName;
          break;
        case 'email':
          values[question.name] = user.email;
          break;
        case 'phone':
          if (account?.phone)
            values[question.name] = parseUkPhone(account.phone)?.national ?? account.phone;
          break;
        case 'address':
          if (identity)
            Object.assign(
              values,
              valuesOf(question, {
                line1: identity.address.lines[0] ?? '',
                ...(identity.address.lines.length > 1
                  ? { line2: identity.address.lines.slice(1).join(', ') }
                  : {}),
                town: identity.address.town,
                postcode: identity.address.postcode,
              }),
            );
          break;
      }
    }
    return values;
  }

  return {
    load,
    save,
    refuse,
    samePerson,
    prefill,
    setDraftCookie,
    clearDraftCookie,
    secure,
  };
}

/** The chosen business's name and registration numbers, for questions that ask for them. */
function businessPrefill(
  business: ApplyingBusiness | null,
  questions: (Question | ItemQuestion)[],
): Values {
  if (!business) return {};
  const known: Record<string, string | null> = {
    businessName: business.name,
    companiesHouseNumber: business.companiesHouseNumber,
    charityNumber: business.charityNumber,
  };
  const values: Values = {};
  for (const question of questions) {
    const value = known[(question as { prefill?: string }).prefill ?? ''];
    if (value) values[question.name] = value;
  }
  return values;
}

export type JourneySupport = ReturnType<typeof journeySupport>;
