/**
 * The passports module listens for decisions: an approval announced by the submissions module
 * (whoever decided it — a caseworker, a casework workflow, a body's system or the rules) makes
 * the offers. Any other outcome does nothing.
 */
import type { AppContext } from '../../platform/http/types.js';
import type { OutboxHandler } from '../../platform/outbox/outbox.js';
import { DECISION_ANNOUNCED_TOPIC, type DecisionAnnouncement } from '../submissions/index.js';
import { offerPassportedServices } from './commands/offers.js';

/** Outcomes that approve what was asked for. */
const APPROVALS = new Set(['approved']);

export function passportHandlers(context: AppContext): Record<string, OutboxHandler> {
  return {
    async [DECISION_ANNOUNCED_TOPIC](payload, { db, idempotencyKey }) {
      const { submissionId, outcome } = payload as Partial<DecisionAnnouncement>;
      if (typeof submissionId !== 'string' || !APPROVALS.has(String(outcome))) return;
      await db
        .transaction()
        .execute((trx) =>
          offerPassportedServices(trx, context.config, submissionId, idempotencyKey),
        );
    },
  };
}
