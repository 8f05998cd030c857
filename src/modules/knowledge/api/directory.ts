/**
 * The directory as JSON, read-only, for the same people the directory page is for: staff of any
 * body, signed in (the session the pages use). Contact points, service experts and call-routing
 * rules, a page at a time; routing rules filtered by service key and by the caller's postcode
 * as "Which body does this?" filters them. Nothing is public: the lines may be internal ones,
 * and experts are named only to staff, as on the page. Who last changed an entry is left out.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../../platform/db/database.js';
import { AppError } from '../../../platform/errors/errors.js';
import { apiRoute, ApiValidationError } from '../../../platform/http/api.js';
import { pagingQuery } from '../../../platform/http/paging.js';
import type { AppContext } from '../../../platform/http/types.js';
import { findPostcodeArea, resolveProvider, type ResolveProblem } from '../../address/index.js';
import { parseUkPhone } from '../../forms/index.js';
import { listOrganisationsByIds } from '../../organisations/index.js';
import type { OpeningPeriod } from '../hours.js';
import { mayReadKnowledge } from '../policies/knowledge.js';
import { areaName } from '../schema.js';

const TAG = 'Knowledge directory (staff)';

const PagingQuery = z.object(pagingQuery);

const RulesQuery = z.object({
  ...pagingQuery,
  service: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a service key, like pay-council-tax')
    .max(100, 'must be 100 characters or fewer')
    .optional()
    .describe('Only rules for this catalogue service key'),
  postcode: z
    .string()
    .max(16, 'must be 16 characters or fewer')
    .optional()
    .describe(
      "Only rules for the postcode's areas (its district, county and nation), most specific first",
    ),
});

const Hours = z
  .array(
    z.object({
      weekday: z.number().int().describe('0 Sunday … 6 Saturday'),
      opens: z.string().describe('24-hour time, London, like 09:00'),
      closes: z.string().describe('24-hour time, London, like 17:00 (24:00 for midnight)'),
    }),
  )
  .describe('The weekly opening hours; empty when none are set');

const Organisation = z.object({ id: z.string(), name: z.string(), name_cy: z.string().nullable() });

const ContactPoint = z.object({
  id: z.string(),
  organisation: Organisation,
  name: z.string(),
  name_cy: z.string(),
  phone: z.string().nullable().describe('International form, like +441453766321'),
  phone_national: z.string().nullable().describe('As people dial it in the UK'),
  email: z.string().nullable(),
  address: z.string(),
  opening_hours: Hours,
});

const Expert = z.object({
  id: z.string(),
  organisation: Organisation,
  name: z.string(),
  role: z.string(),
  topics: z.string(),
  how_to_reach: z.string(),
});

const RoutingRule = z.object({
  id: z.string(),
  organisation: Organisation,
  service_key: z.string().nullable(),
  topic: z.string(),
  area: z.object({ gss: z.string(), name: z.string(), name_cy: z.string() }),
  contact_point_id: z.string(),
  opening_hours: Hours.nullable().describe("The line's own hours, when not the contact point's"),
  notes: z.string(),
});

function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    total_items: z.number().int(),
    total_pages: z.number().int(),
    page: z.number().int(),
    per_page: z.number().int(),
    items: z.array(item),
  });
}

const POSTCODE_PROBLEMS: Record<ResolveProblem, string> = {
  required: 'enter a postcode',
  malformed: 'must be a full UK postcode, like GL5 4UB',
  unknown: 'is not in the ONS Postcode Directory',
  terminated: 'is no longer in use',
  'non-geographic': 'is not for a place (a PO box or a large user)',
  'no-authority': 'is in no local authority area',
};

/** The signed-in member of staff: 401 without a session, 404 for anyone else (as the pages). */
function requireStaff(request: FastifyRequest): void {
  if (!request.user)
    throw new AppError('unauthorised', 401, 'Sign in as a member of staff to use this API');
  if (!mayReadKnowledge(request.user)) throw new AppError('not_found', 404, 'Not found');
}

const clock = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

function hoursOf(periods: readonly OpeningPeriod[]) {
  return periods.map((p) => ({
    weekday: p.weekday,
    opens: clock(p.opens),
    closes: clock(p.closes),
  }));
}

async function organisations(db: Db, ids: readonly string[]) {
  const rows = await listOrganisationsByIds(db, [...new Set(ids)]);
  return new Map(rows.map((o) => [o.id, { id: o.id, name: o.name, name_cy: o.name_cy ?? null }]));
}

function envelope<T>(items: T[], total: number, query: { page: number; per_page: number }) {
  return {
    total_items: total,
    total_pages: Math.ceil(total / query.per_page),
    page: query.page,
    per_page: query.per_page,
    items,
  };
}

/** The areas a postcode is in, most specific first; a 400 naming the field when it is not usable. */
async function areasOf(db: Db, postcode: string): Promise<string[]> {
  const place = await resolveProvider(db, postcode, 'central');
  if (!place.ok)
    throw new ApiValidationError([
      { field: 'query.postcode', message: POSTCODE_PROBLEMS[place.problem] },
    ]);
  const area = await findPostcodeArea(db, place.postcode);
  return [area?.district_gss, area?.county_gss, area?.country_gss].filter(
    (code): code is string => !!code,
  );
}

/** Registers the directory API; called from the knowledge module's manifest. */
export function directoryApiRoutes(app: FastifyInstance, context: AppContext): void {
  const { db } = context;

  apiRoute(app, {
    method: 'GET',
    url: '/api/v1/knowledge/contact-points',
    summary: "Every body's contact points with their opening hours (staff only)",
    tag: TAG,
    query: PagingQuery,
    response: pageSchema(ContactPoint),
    async handler({ query }, request) {
      requireStaff(request);
      const [rows, total] = await Promise.all([
        db
          .selectFrom('knowledge_contact_points')
          .select(['id', 'organisation_id', 'name', 'name_cy', 'phone', 'email', 'address'])
          .select('opening_hours')
          .orderBy('name')
          .orderBy('id')
          .limit(query.per_page)
          .offset((query.page - 1) * query.per_page)
          .execute(),
        countOf(db, 'knowledge_contact_points'),
      ]);
      const bodies = await organisations(
        db,
        rows.map((r) => r.organisation_id),
      );
      return envelope(
        rows.map(({ organisation_id, opening_hours, ...point }) => ({
          ...point,
          organisation: bodies.get(organisation_id)!,
          phone_national: point.phone ? (parseUkPhone(point.phone)?.national ?? point.phone) : null,
          opening_hours: hoursOf(opening_hours),
        })),
        total,
        query,
      );
    },
  });

  apiRoute(app, {
    method: 'GET',
    url: '/api/v1/knowledge/experts',
    summary: "Every body's service experts and how to reach them at work (staff only)",
    tag: TAG,
    query: PagingQuery,
    response: pageSchema(Expert),
    async handler({ query }, request) {
      requireStaff(request);
      const [rows, total] = await Promise.all([
        db
          .selectFrom('knowledge_experts')
          .select(['id', 'organisation_id', 'name', 'role', 'topics', 'how_to_reach'])
          .orderBy('name')
          .orderBy('id')
          .limit(query.per_page)
          .offset((query.page - 1) * query.per_page)
          .execute(),
        countOf(db, 'knowledge_experts'),
      ]);
      const bodies = await organisations(
        db,
        rows.map((r) => r.organisation_id),
      );
      return envelope(
        rows.map(({ organisation_id, ...expert }) => ({
          ...expert,
          organisation: bodies.get(organisation_id)!,
        })),
        total,
        query,
      );
    },
  });

  apiRoute(app, {
    method: 'GET',
    url: '/api/v1/knowledge/routing-rules',
    summary: 'Call-routing rules, by service key and the caller’s postcode (staff only)',
    tag: TAG,
    query: RulesQuery,
    response: pageSchema(RoutingRule),
    async handler({ query }, request) {
      requireStaff(request);
      const areas = query.postcode !== undefined ? await areasOf(db, query.postcode) : null;
      let rules = db.selectFrom('knowledge_routing_rules');
      if (query.service) rules = rules.where('service_key', '=', query.service);
      if (areas)
        rules = areas.length
          ? rules.where('area_gss', 'in', areas)
          : rules.where(sql<boolean>`false`);
      let ordered = rules.select([
        'id',
        'organisation_id',
        'service_key',
        'topic',
        'area_gss',
        'contact_point_id',
        'opening_hours',
        'notes',
      ]);
      // With a postcode, the most specific area first (district, county, nation), as "Which body".
      if (areas?.length)
        ordered = ordered.orderBy(
          sql<number>`case area_gss ${sql.join(
            areas.map((gss, i) => sql`when ${gss} then ${sql.lit(i)}`),
            sql` `,
          )} end`,
        );
      const [rows, total] = await Promise.all([
        ordered
          .orderBy('area_gss')
          .orderBy('id')
          .limit(query.per_page)
          .offset((query.page - 1) * query.per_page)
          .execute(),
        rules
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
          .then((r) => Number(r.n)),
      ]);
      const bodies = await organisations(
        db,
        rows.map((r) => r.organisation_id),
      );
      return envelope(
        rows.map(({ organisation_id, area_gss, opening_hours, ...rule }) => ({
          ...rule,
          organisation: bodies.get(organisation_id)!,
          area: {
            gss: area_gss,
            name: areaName(area_gss, 'en') ?? area_gss,
            name_cy: areaName(area_gss, 'cy') ?? area_gss,
          },
          opening_hours: opening_hours ? hoursOf(opening_hours) : null,
        })),
        total,
        query,
      );
    },
  });
}

async function countOf(db: Db, table: 'knowledge_contact_points' | 'knowledge_experts') {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
