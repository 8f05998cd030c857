/**
 * The reportable services as the catalogue publishes them: for each Open311 service code, every
 * body's version of the service that takes reports online (a published form every question of
 * which a report can answer), and the body responsible for a place.
 */
import type { Db } from '../../../platform/db/database.js';
import type { Locale } from '../../../platform/i18n/i18n.js';
import { resolveProvider, type Provider } from '../../address/index.js';
import {
  findVersionOfService,
  servicesWithKey,
  type PublicService,
} from '../../catalogue/index.js';
import { publishedForm, type FormDefinition } from '../../forms/index.js';
import { reportableForm } from '../attributes/mapping.js';
import { REPORTABLE_PROBLEMS, type ReportableProblem } from '../codes.js';

/** One body's version of a reportable service, with the form reports fill. */
export interface ReportableService {
  problem: ReportableProblem;
  service: PublicService;
  form: { definition: FormDefinition; version: number };
}

async function withForm(
  db: Db,
  problem: ReportableProblem,
  service: PublicService | undefined,
): Promise<ReportableService | undefined> {
  if (!service?.formKey) return undefined;
  const form = await publishedForm(db, service.formKey);
  if (!form || !reportableForm(form.definition)) return undefined;
  return { problem, service, form };
}

/**
 * Every body's version of each reportable service, code by code in the offered order (codes no
 * body offers are left out); with `organisationId`, that body's only (a jurisdiction).
 */
export async function reportableServices(
  db: Db,
  locale: Locale,
  organisationId?: string,
): Promise<{ problem: ReportableProblem; versions: ReportableService[] }[]> {
  const found = [];
  for (const problem of REPORTABLE_PROBLEMS) {
    const services = (await servicesWithKey(db, problem.code, locale)).filter(
      (s) => !organisationId || s.organisation.id === organisationId,
    );
    const versions = (await Promise.all(services.map((s) => withForm(db, problem, s)))).filter(
      (v): v is ReportableService => v !== undefined,
    );
    if (versions.length > 0) found.push({ problem, versions });
  }
  return found;
}

/** Why no body can take a report of this problem at this place. */
export type NotResponsible =
  /** The postcode is in no council area, or is not a live postcode for a place. */
  | { reason: 'outside' }
  /** The responsible council does not use Joinedup (its name from the postcode directory). */
  | { reason: 'not-served'; provider: Provider }
  /** The responsible council is here but takes no reports of this problem through us. */
  | { reason: 'not-offered'; provider: Provider };

/**
 * The body responsible for a problem at a postcode (the problem's tier: the district for bins,
 * the county for roads; a unitary council for both) and its version of the service.
 *
 * @example await responsibleService(db, problem, 'GL5 4UB', 'en') // Gloucestershire's pothole service
 */
export async function responsibleService(
  db: Db,
  problem: ReportableProblem,
  postcode: string,
  locale: Locale,
): Promise<
  ({ ok: true; provider: Provider } & ReportableService) | ({ ok: false } & NotResponsible)
> {
  const resolution = await resolveProvider(db, postcode, problem.tier);
  if (!resolution.ok || !resolution.provider) return { ok: false, reason: 'outside' };
  const provider = resolution.provider;
  if (!provider.organisation) return { ok: false, reason: 'not-served', provider };
  const service = await findVersionOfService(db, problem.code, provider.organisation.id, locale);
  const reportable = await withForm(db, problem, service);
  if (!reportable) return { ok: false, reason: 'not-offered', provider };
  return { ok: true, provider, ...reportable };
}
