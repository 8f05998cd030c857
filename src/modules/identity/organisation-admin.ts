import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../platform/errors/errors.js';
import type { Db } from '../../platform/db/database.js';
import type { CurrentUser } from '../../platform/http/types.js';
import {
  findOrganisationById,
  findOrganisationBySlug,
  listOrganisations,
  type OrganisationRow,
} from '../organisations/index.js';
import { requireSignIn } from './guards.js';
import { isPlatformAdmin } from './policies/roles.js';

/**
 * An admin area run per organisation at `<path>/:org/…` (the hub set-up, notifications):
 * the module's policy says who may run it; everybody else is told "not found".
 */
export interface OrganisationAdminArea {
  /** Where the area starts, e.g. '/admin/hub'. */
  path: string;
  /** The module's policy: may this user run the area for this organisation? */
  may: (user: CurrentUser | null, organisationId: string) => boolean;
  /** What the area does, for the log when access is refused, e.g. 'notifications'. */
  activity: string;
}

/** The organisation a page of the area is about, with what every such page shows. */
export interface AdministeredOrganisation {
  user: CurrentUser;
  organisation: OrganisationRow;
  /** The organisation's name in the reader's language. */
  orgName: string;
  /** The area's address for this organisation, e.g. '/admin/hub/stroud'. */
  base: string;
}

/**
 * The organisation in the URL's `:org`, when the signed-in user may run the area for it;
 * undefined when it has sent the user to sign in, 404 otherwise.
 *
 * @example const found = await administeredOrganisation(db, HUB_AREA, request, reply);
 *          if (!found) return reply;
 */
export async function administeredOrganisation(
  db: Db,
  area: OrganisationAdminArea,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<AdministeredOrganisation | undefined> {
  const user = requireSignIn(request, reply);
  if (!user) return undefined;
  const { org } = request.params as { org: string };
  const organisation = await findOrganisationBySlug(db, org);
  if (!organisation || !area.may(user, organisation.id))
    throw notFound({
      reason: `may not run this organisation’s ${area.activity}`,
      userId: user.id,
      org,
    });
  return {
    user,
    organisation,
    orgName: (request.locale === 'cy' && organisation.name_cy) || organisation.name,
    base: `${area.path}/${organisation.slug}`,
  };
}

/**
 * The area's front page: a platform admin chooses an organisation from the list (the
 * `organisationsView` template gets `organisations`); an organisation's own admin goes
 * straight to theirs; anybody else gets 404.
 */
export function organisationAdminIndex(
  app: FastifyInstance,
  db: Db,
  area: OrganisationAdminArea,
  organisationsView: string,
): void {
  app.get(area.path, async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    if (isPlatformAdmin(user))
      return reply.view(organisationsView, { organisations: await listOrganisations(db) });
    if (user.organisationId && area.may(user, user.organisationId)) {
      const own = await findOrganisationById(db, user.organisationId);
      if (own) return reply.redirect(`${area.path}/${own.slug}`, 303);
    }
    throw notFound({ reason: `may not run ${area.activity}`, userId: user.id });
  });
}
