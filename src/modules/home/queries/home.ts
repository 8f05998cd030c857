import type { Db } from '../../../platform/db/database.js';
import { notFound } from '../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import type { Locale } from '../../../platform/i18n/i18n.js';
import {
  findPublishedServiceById,
  findServices,
  type PublicService,
} from '../../catalogue/index.js';
import { activeEnrolments, type EnrolableService } from '../../enrolment/index.js';
import { recentMessages, unreadCount, type MessageListItem } from '../../inbox/index.js';
import { listOrganisationsByIds } from '../../organisations/index.js';
import { remindersFor, type ReminderSummary } from '../../reminders/index.js';
import {
  listForApplicant,
  nameLookup,
  type SubmissionRow,
  type SubmissionStatus,
} from '../../submissions/index.js';
import { canSeeHomeOf, homeOwnerOf } from '../policies/home.js';
import { interestsRow, type Interests } from './interests.js';

/** How many applications, messages and suggestions the home page shows before "see all". */
export const HOME_LIMITS = { applications: 10, messages: 3, services: 10, suggestions: 10 };

/** How long ago an application may have been sent for its service to count as recently used. */
export const RECENT_DAYS = 365;

/**
 * The catalogue service (by its `serviceKey`, shared by every body's version) that an enrolled
 * record is managed through: a linked Council Tax account is used through "Pay your Council Tax".
 */
const SERVICE_KEY_OF_ENROLMENT: Record<EnrolableService, string | null> = {
  'council-tax': 'pay-council-tax',
  'business-rates': 'pay-business-rates',
  // Only a business enrols trade waste, and no catalogue service manages it yet.
  'trade-waste': null,
};

/** One of "your services": a service page, and why it is the person's. */
export interface YourService {
  serviceId: string | null;
  serviceKey: string | null;
  /** The service page, or the list of linked accounts when the catalogue has no page for it. */
  href: string;
  title: string;
  organisationId: string;
  organisationName: string;
  /** `enrolled`: an account linked to theirs; `used`: they applied in it recently. */
  reason: 'enrolled' | 'used';
  /** The linked account's number, or when they last applied. */
  reference: string | null;
  lastUsed: Date | null;
  /** For a linked account with no service page: which kind of account it is. */
  enrolment: EnrolableService | null;
}

/** One of "your applications". */
export interface YourApplication {
  reference: string;
  serviceTitle: string;
  organisationName: string;
  submittedAt: Date;
  status: SubmissionStatus;
}

/** A suggested service, with the body that provides it. */
export interface Suggestion {
  slug: string;
  title: string;
  summary: string;
  organisationName: string;
  /** True when other bodies provide the same service: which one depends on the address. */
  otherProviders: boolean;
}

/** Everything the personal home page shows, all of it the signed-in person's own. */
export interface HomeView {
  services: YourService[];
  applications: { items: YourApplication[]; total: number };
  messages: { unread: number; recent: MessageListItem[] };
  reminders: ReminderSummary[];
  interests: Interests;
  suggestions: Suggestion[];
}

/**
 * The personal home page of the signed-in person: their services, applications, messages,
 * reminders and the services suggested by what they told us. Every section is read by
 * `ownerId`, which the policy allows only when it is the signed-in citizen's own account
 * (an agent acting for a client gets their own page: see `homeOwnerOf`); anyone else's id is
 * "not found".
 *
 * @example const home = await homeFor(db, request.user, request.locale);
 */
export async function homeFor(
  db: Db,
  user: CurrentUser,
  locale: Locale,
  options: { ownerId?: string } = {},
): Promise<HomeView> {
  const ownerId = options.ownerId ?? homeOwnerOf(user);
  if (!canSeeHomeOf(user, ownerId))
    throw notFound({ ownerId, userId: user.id, reason: 'not this person’s home page' });
  const submissions = await listForApplicant(db, ownerId);
  const [services, applications, messages, reminders, interests] = await Promise.all([
    yourServices(db, ownerId, submissions, locale),
    yourApplications(db, submissions, locale),
    yourMessages(db, ownerId, locale),
    remindersFor(db, ownerId, locale),
    interestsRow(db, ownerId),
  ]);
  const suggestions = await suggestedServices(db, interests, services, locale);
  return { services, applications, messages, reminders, interests, suggestions };
}

/**
 * The services of the accounts the person linked (through their catalogue page at the body that
 * holds the account) and of their applications in the last `RECENT_DAYS`, each once, linked
 * accounts first, at most `HOME_LIMITS.services`.
 */
async function yourServices(
  db: Db,
  ownerId: string,
  submissions: SubmissionRow[],
  locale: Locale,
): Promise<YourService[]> {
  const found: YourService[] = [];
  const seen = new Set<string>();
  const enrolments = await activeEnrolments(db, ownerId);
  const bodies = await listOrganisationsByIds(
    db,
    enrolments.map((e) => e.organisationId),
  );
  const servicesOfBody = new Map<string, Promise<PublicService[]>>();
  const catalogueOf = (slug: string) => {
    if (!servicesOfBody.has(slug))
      servicesOfBody.set(
        slug,
        findServices(db, { locale, body: slug }).then((r) => r.services),
      );
    return servicesOfBody.get(slug)!;
  };
  for (const enrolment of enrolments) {
    const body = bodies.find((b) => b.id === enrolment.organisationId);
    const key = SERVICE_KEY_OF_ENROLMENT[enrolment.service];
    const service =
      body && key ? (await catalogueOf(body.slug)).find((s) => s.serviceKey === key) : undefined;
    if (service && seen.has(service.id)) continue;
    if (service) seen.add(service.id);
    found.push({
      serviceId: service?.id ?? null,
      serviceKey: service?.serviceKey ?? null,
      href: service ? `/services/${service.slug}` : '/enrol',
      title: service?.title ?? '',
      organisationId: enrolment.organisationId,
      organisationName:
        service?.organisation.name ??
        ((locale === 'cy' ? enrolment.organisationNameCy : null) || enrolment.organisationName),
      reason: 'enrolled',
      reference: enrolment.reference,
      lastUsed: null,
      enrolment: service ? null : enrolment.service,
    });
  }
  const since = Date.now() - RECENT_DAYS * 86_400_000;
  for (const submission of submissions) {
    if (submission.submitted_at.getTime() < since) break; // newest first
    if (seen.has(submission.service_id)) continue;
    seen.add(submission.service_id);
    const service = await findPublishedServiceById(db, submission.service_id, locale);
    if (!service) continue; // withdrawn: there is no page to go to
    found.push({
      serviceId: service.id,
      serviceKey: service.serviceKey,
      href: `/services/${service.slug}`,
      title: service.title,
      organisationId: service.organisation.id,
      organisationName: service.organisation.name,
      reason: 'used',
      reference: null,
      lastUsed: submission.submitted_at,
      enrolment: null,
    });
  }
  return found.slice(0, HOME_LIMITS.services);
}

/** The person's newest applications with their status, and how many they have in all. */
async function yourApplications(
  db: Db,
  submissions: SubmissionRow[],
  locale: Locale,
): Promise<HomeView['applications']> {
  const names = nameLookup(db, locale);
  const items = await Promise.all(
    submissions.slice(0, HOME_LIMITS.applications).map(async (s) => ({
      reference: s.reference,
      serviceTitle: await names.service(s.service_id),
      organisationName: await names.organisation(s.organisation_id),
      submittedAt: s.submitted_at,
      status: s.status,
    })),
  );
  return { items, total: submissions.length };
}

async function yourMessages(
  db: Db,
  ownerId: string,
  locale: Locale,
): Promise<HomeView['messages']> {
  const [unread, recent] = await Promise.all([
    unreadCount(db, ownerId),
    recentMessages(db, ownerId, locale, HOME_LIMITS.messages),
  ]);
  return { unread, recent };
}

/**
 * Services for the life events and customer groups the person chose, taking one from each
 * choice in turn so every choice is represented; without the services they already use (nor
 * another body's version of one), and each service once: where several bodies provide it, the
 * version of a body the person already deals with (or of the county above their district),
 * or else the first, marked so the page can send them to find the body for their address.
 */
async function suggestedServices(
  db: Db,
  interests: Interests,
  used: YourService[],
  locale: Locale,
): Promise<Suggestion[]> {
  const searches = [
    ...interests.lifeEvents.map((lifeEvent) => findServices(db, { locale, lifeEvent })),
    ...interests.customerGroups.map((customerGroup) => findServices(db, { locale, customerGroup })),
  ];
  if (searches.length === 0) return [];
  const lists = (await Promise.all(searches)).map((r) => r.services);
  const usedIds = new Set(used.map((s) => s.serviceId).filter(Boolean));
  const usedKeys = new Set(used.map((s) => s.serviceKey).filter(Boolean));
  // The bodies the person deals with, and the county above a district: their versions first.
  const direct = [...new Set(used.map((s) => s.organisationId))];
  const parents = (await listOrganisationsByIds(db, direct)).map((o) => o.parent_id);
  const yourBodies = new Set([...direct, ...parents.filter((id): id is string => id !== null)]);
  const candidates = lists
    .flat()
    .filter((s) => !usedIds.has(s.id) && !(s.serviceKey && usedKeys.has(s.serviceKey)));
  const groupOf = (s: PublicService) => s.serviceKey ?? s.id;
  const versions = new Map<string, PublicService[]>();
  for (const service of candidates) {
    const group = versions.get(groupOf(service)) ?? [];
    if (!group.some((s) => s.id === service.id)) group.push(service);
    versions.set(groupOf(service), group);
  }
  const chosen: Suggestion[] = [];
  const taken = new Set<string>();
  for (let round = 0; chosen.length < HOME_LIMITS.suggestions; round++) {
    let any = false;
    for (const list of lists) {
      const service = list[round];
      if (!service) continue;
      any = true;
      const group = groupOf(service);
      if (taken.has(group) || !versions.has(group)) continue;
      taken.add(group);
      const all = versions.get(group)!;
      const pick = all.find((s) => yourBodies.has(s.organisation.id)) ?? all[0]!;
      chosen.push({
        slug: pick.slug,
        title: pick.title,
        summary: pick.summary,
        organisationName: pick.organisation.name,
        otherProviders: all.length > 1,
      });
      if (chosen.length === HOME_LIMITS.suggestions) break;
    }
    if (!any) break;
  }
  return chosen;
}
