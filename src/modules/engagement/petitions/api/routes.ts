import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { apiRoute } from '../../../../platform/http/api.js';
import { notFound } from '../../../../platform/errors/errors.js';
import type { AppContext } from '../../../../platform/http/types.js';
import { findOrganisationBySlug, type OrganisationRow } from '../../../organisations/index.js';
import type { PetitionRow } from '../../db/tables.js';
import { districtCounts, findPetition, listPublishedPetitions } from '../queries/petitions.js';
import { closingDay, petitionStage, petitionStatus } from '../rules.js';
import { bodiesOf } from '../pages/shared.js';

const TAG = 'Petitions';
const PAGE_SIZE = 50;

const Petition = z.object({
  id: z.string().describe('Stable id; the page is /petitions/{id}'),
  url: z.string(),
  title: z.string(),
  action: z.string().describe('What the petition asks the body to do'),
  body: z.object({ slug: z.string(), name: z.string(), nameCy: z.string().nullable() }),
  state: z.enum(['open', 'closed']),
  stage: z.enum(['collecting', 'awaiting-response', 'responded', 'debate']),
  signatureCount: z.number().int().describe('Confirmed signatures, not struck out'),
  publishedAt: z.string().describe('ISO 8601 instant'),
  closesAt: z.string().describe('ISO 8601 instant from which signing is refused'),
  closingDay: z.string().describe('The last London day it can be signed, YYYY-MM-DD'),
  thresholds: z.object({
    response: z.number().int().nullable(),
    debate: z.number().int().nullable(),
    responseReachedAt: z.string().nullable(),
    debateReachedAt: z.string().nullable(),
  }),
  response: z
    .object({ text: z.string(), publishedAt: z.string() })
    .nullable()
    .describe("The body's response, once published"),
  debate: z.object({ on: z.string().nullable(), outcome: z.string().nullable() }).nullable(),
});

const PetitionDetail = Petition.extend({
  background: z.string(),
  byDistrict: z
    .array(z.object({ district: z.string(), count: z.number().int() }))
    .describe('Confirmed signatures per postcode district (outward code), largest first'),
});

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function toJson(
  petition: PetitionRow,
  body: OrganisationRow | undefined,
  baseUrl: string,
  now: Date,
) {
  const status = petitionStatus(petition, now);
  return {
    id: petition.id,
    url: new URL(`/petitions/${petition.id}`, baseUrl).toString(),
    title: petition.title,
    action: petition.action,
    body: { slug: body?.slug ?? '', name: body?.name ?? '', nameCy: body?.name_cy ?? null },
    state: status === 'closed' ? ('closed' as const) : ('open' as const),
    stage: petitionStage(petition),
    signatureCount: petition.signature_count,
    publishedAt: iso(petition.published_at)!,
    closesAt: iso(petition.closes_at)!,
    closingDay: closingDay(petition.closes_at!),
    thresholds: {
      response: petition.response_threshold,
      debate: petition.debate_threshold,
      responseReachedAt: iso(petition.response_threshold_reached_at),
      debateReachedAt: iso(petition.debate_threshold_reached_at),
    },
    response:
      petition.response && petition.responded_at
        ? { text: petition.response, publishedAt: iso(petition.responded_at)! }
        : null,
    debate:
      petition.debate_on || petition.debate_outcome
        ? { on: petition.debate_on, outcome: petition.debate_outcome }
        : null,
  };
}

/**
 * Petitions as open data: published petitions with their counts (in total and by postcode
 * district), state, dates, thresholds and response. No signer's name, address, e-mail or
 * postcode, and no creator, is ever in it; pending and rejected petitions are not either.
 */
export function petitionApiRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;
  const baseUrl = context.config.baseUrl;

  apiRoute(app, {
    method: 'GET',
    url: '/api/v1/petitions',
    summary: 'List published petitions with their signature counts (open data, no personal data)',
    tag: TAG,
    query: z.object({
      state: z.enum(['open', 'closed', 'all']).default('all'),
      body: z
        .string()
        .regex(/^[a-z0-9-]{1,80}$/, 'must be a body slug')
        .optional()
        .describe('Only petitions to this body (its slug, e.g. stroud)'),
      page: z.coerce.number().int().min(1).max(10000).default(1),
    }),
    response: z.object({
      petitions: z.array(Petition),
      page: z.number().int(),
      pageSize: z.number().int(),
    }),
    handler: async ({ query }) => {
      const now = new Date();
      let organisationId: string | undefined;
      if (query.body) {
        const body = await findOrganisationBySlug(db, query.body);
        if (!body) return { petitions: [], page: query.page, pageSize: PAGE_SIZE };
        organisationId = body.id;
      }
      const petitions = await listPublishedPetitions(db, query.state, now, {
        ...(organisationId ? { organisationId } : {}),
        limit: PAGE_SIZE,
        offset: (query.page - 1) * PAGE_SIZE,
      });
      const bodies = await bodiesOf(db, petitions);
      return {
        petitions: petitions.map((p) => toJson(p, bodies.get(p.organisation_id), baseUrl, now)),
        page: query.page,
        pageSize: PAGE_SIZE,
      };
    },
  });

  apiRoute(app, {
    method: 'GET',
    url: '/api/v1/petitions/:id',
    summary:
      'One published petition: counts in total and by postcode district, state, dates, response',
    tag: TAG,
    params: z.object({ id: z.string().uuid('must be a petition id') }),
    response: PetitionDetail,
    handler: async ({ params }) => {
      const petition = await findPetition(db, params.id);
      if (!petition || petition.state !== 'open') throw notFound({ petition: params.id });
      const bodies = await bodiesOf(db, [petition]);
      return {
        ...toJson(petition, bodies.get(petition.organisation_id), baseUrl, new Date()),
        background: petition.background,
        byDistrict: await districtCounts(db, petition.id),
      };
    },
  });
}
