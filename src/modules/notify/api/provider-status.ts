import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { apiRoute } from '../../../platform/http/api.js';
import type { AppContext } from '../../../platform/http/types.js';
import { AppError } from '../../../platform/errors/errors.js';
import {
  PROVIDER_STATUSES,
  recordProviderStatus,
  type ProviderChannel,
} from '../commands/provider-status.js';

const ProviderReport = z.object({
  reference: z.uuid().describe('The notification id we sent the message with'),
  status: z.enum(PROVIDER_STATUSES),
  reason: z.string().max(500).optional().describe('What the provider said, for support staff'),
});

const ProviderReceipt = z.object({ id: z.uuid(), status: z.string(), changed: z.boolean() });

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** True when the request carries `Authorization: Bearer PROVIDER_CALLBACK_TOKEN` (compared in constant time). */
function authorised(request: FastifyRequest, token: string | undefined): boolean {
  if (!token) return false;
  const header = request.headers.authorization ?? '';
  const given = /^Bearer (.+)$/i.exec(header)?.[1] ?? '';
  return timingSafeEqual(digest(given), digest(token));
}

/**
 * Where SMS and e-mail providers report what became of a message: `POST
 * /api/v1/providers/sms/status` (delivery receipts) and `/api/v1/providers/email/status`
 * (bounces), body `{ reference, status, reason? }`, authenticated by the shared secret
 * PROVIDER_CALLBACK_TOKEN as a bearer token (401 without it; with no token configured every
 * report is refused).
 */
export function providerStatusRoutes(app: FastifyInstance, { db, config, wakeOutbox }: AppContext) {
  const channels: { path: string; channel: ProviderChannel; summary: string }[] = [
    {
      path: 'sms',
      channel: 'sms',
      summary: 'A text-message provider reports a delivery receipt',
    },
    { path: 'email', channel: 'email', summary: 'An e-mail provider reports a delivery or bounce' },
  ];
  // Authenticated before the body is read, so a stranger learns nothing from validation errors.
  app.addHook('onRequest', async (request) => {
    if (
      request.url.startsWith('/api/v1/providers/') &&
      !authorised(request, config.PROVIDER_CALLBACK_TOKEN)
    )
      throw new AppError('unauthorised', 401, 'A valid provider token is needed');
  });
  for (const { path, channel, summary } of channels) {
    apiRoute(app, {
      method: 'POST',
      url: `/api/v1/providers/${path}/status`,
      summary,
      tag: 'Providers',
      body: ProviderReport,
      response: ProviderReceipt,
      successStatus: 200,
      async handler({ body }) {
        const outcome = await recordProviderStatus(db, channel, body);
        if (!outcome.ok)
          throw new AppError('not_found', 404, `No ${channel} notification ${body.reference}`);
        if (outcome.changed) wakeOutbox();
        return { id: outcome.id, status: outcome.status, changed: outcome.changed };
      },
    });
  }
}
