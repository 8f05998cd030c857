import type { FastifyInstance } from 'fastify';
import { safeReturnPath } from '../../../../platform/http/forms.js';
import type { AppContext } from '../../../../platform/http/types.js';

const SIGNED_OUT = 'modules/identity/pages/signed-out/signed-out.njk';
const REASONS = ['idle', 'expired', 'everywhere'] as const;

/** "You have been signed out" (GOV.UK pattern): why, and a way to sign in again. */
export function signedOutRoutes(app: FastifyInstance, { config }: AppContext): void {
  app.get('/signed-out', async (request, reply) => {
    const query = request.query as { reason?: unknown; returnTo?: unknown };
    const reason = REASONS.find((r) => r === query.reason) ?? 'default';
    const returnTo = safeReturnPath(query.returnTo);
    return reply.view(SIGNED_OUT, { reason, returnTo, idleMinutes: config.SESSION_IDLE_MINUTES });
  });
}
