import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../../platform/http/types.js';
import { CUSTOMER_GROUPS, LIFE_EVENTS, labelOf } from '../../../catalogue/index.js';
import { requireSignIn } from '../../../identity/index.js';
import { openOfferCount } from '../../../passports/index.js';
import { homeFor } from '../../queries/home.js';

const HOME = 'modules/home/pages/home/home.njk';
const STAFF = 'modules/home/pages/home/staff.njk';

/**
 * GET /home: the signed-in citizen's own page — their services, applications, messages,
 * reminders and suggestions. Staff get a short page pointing to their tools instead; an agent
 * acting for a client sees their own page, with a pointer to the client's applications.
 */
export function homeRoutes(app: FastifyInstance, { db }: AppContext): void {
  app.get('/home', async (request, reply) => {
    const user = requireSignIn(request, reply);
    if (!user) return reply;
    if (user.kind !== 'citizen') return reply.view(STAFF, {});
    const locale = request.locale;
    const home = await homeFor(db, user, locale);
    const saved = (request.query as { saved?: unknown }).saved;
    return reply.view(HOME, {
      ...home,
      told: [
        ...home.interests.lifeEvents.map((v) => labelOf(LIFE_EVENTS, v, locale)),
        ...home.interests.customerGroups.map((v) => labelOf(CUSTOMER_GROUPS, v, locale)),
      ],
      acting: user.actingFor?.displayName ?? null,
      // Services an approval made them eligible for, waiting for their answer (passports module).
      offers: user.actingFor ? 0 : await openOfferCount(db, user.id),
      saved: saved === 'interests' || saved === 'cleared' ? saved : null,
    });
  });
}
