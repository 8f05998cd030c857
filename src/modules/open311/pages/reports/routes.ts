/**
 * The public list of open reports near a postcode (/reports?postcode=…): in the postcode's
 * council area, newest first, so people can see a problem is already reported before they
 * report it again. It shows what Open311's GET requests shows: the kind of problem, the street,
 * the date and the status — nothing the reporter wrote, and nothing about who they are.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../../platform/http/types.js';
import { findPostcodeArea, parsePostcode } from '../../../address/index.js';
import { findOrganisationByGssCode, lookupGssCode } from '../../../organisations/index.js';
import { listRequests } from '../../queries/requests.js';

const LIST = 'modules/open311/pages/reports/list.njk';
/** How many reports the page lists. */
const SHOWN = 50;

export function reportsRoutes(app: FastifyInstance, { db }: AppContext): void {
  app.get('/reports', async (request, reply) => {
    const asked = (request.query as { postcode?: unknown }).postcode;
    if (asked === undefined) return reply.view(LIST, { postcode: '', fieldErrors: {} });
    const typed = typeof asked === 'string' ? asked.trim() : '';
    const parsed = parsePostcode(typed);
    const area = parsed.ok ? await findPostcodeArea(db, parsed.postcode) : undefined;
    const problem = !parsed.ok
      ? parsed.problem === 'required'
        ? 'open311.reports.required'
        : 'open311.reports.malformed'
      : !area?.district_gss
        ? 'open311.reports.unknown'
        : undefined;
    if (problem || !area?.district_gss) {
      const text = request.t(problem ?? 'open311.reports.unknown');
      return reply.code(400).view(LIST, {
        postcode: typed,
        errorList: [{ text, href: '#postcode' }],
        fieldErrors: { postcode: { text } },
      });
    }
    const district = area.district_gss;
    const body = await findOrganisationByGssCode(db, district);
    const name =
      (request.locale === 'cy' ? body?.name_cy : null) ??
      body?.name ??
      lookupGssCode(district)?.name ??
      district;
    const reports = await listRequests(
      db,
      { districtGss: district, statuses: ['open'], from: new Date(0), to: new Date() },
      request.locale,
      request.t,
      SHOWN + 1,
    );
    return reply.view(LIST, {
      postcode: parsed.ok ? parsed.postcode : typed,
      area: name,
      reports: reports.slice(0, SHOWN),
      more: reports.length > SHOWN,
      fieldErrors: {},
    });
  });
}
