import type { Config } from '../../platform/config/config.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { Logger } from 'pino';
import { askForEvidence, REQUEST_TOPIC, SYSTEM } from './commands/requests.js';
import { evidenceRequestHandler } from './delivery.js';
import type { SubjectInput } from './subject.js';

export interface RoundTripOptions {
  evidenceType: string;
  requestingOrganisationId: string;
  userId: string;
  subject: SubjectInput;
  consent?: boolean;
  /** How often to look for a webhook body's answer (ms); 5 by default. */
  pollMs?: number;
  logger: Logger;
}

/**
 * One evidence round trip as a journey makes it, for the benchmark: the request is recorded
 * and queued, handed to the `evidence.request` handler as the outbox worker would, and the
 * answer awaited (a table answers in the handler; a webhook body answers at its call back).
 * Resolves with the outcome and the milliseconds it took; never throws for a body's failure.
 *
 * @example const { status, ms } = await evidenceRoundTrip(db, config, { evidenceType: 'dwp-qualifying-benefit', … })
 */
export async function evidenceRoundTrip(
  db: Kysely<Database>,
  config: Config,
  options: RoundTripOptions,
): Promise<{ status: string; ms: number }> {
  const started = performance.now();
  const asked = await db.transaction().execute((trx) =>
    askForEvidence(
      trx,
      {
        evidenceType: options.evidenceType,
        requestingOrganisationId: options.requestingOrganisationId,
        userId: options.userId,
        journeyKey: `bench:${options.evidenceType}`,
        subject: options.subject,
        ...(options.consent === undefined ? {} : { consent: options.consent }),
      },
      SYSTEM,
    ),
  );
  if (!asked.ok) return { status: asked.code, ms: performance.now() - started };
  const id = asked.request.id;
  try {
    await evidenceRequestHandler(config)(
      { requestId: id },
      {
        db,
        idempotencyKey: `${REQUEST_TOPIC}:${id}`,
        attempt: 1,
        logger: options.logger,
      },
    );
  } catch {
    return { status: 'failed', ms: performance.now() - started };
  }
  for (;;) {
    const row = await db
      .selectFrom('evidence_requests')
      .select(['status', 'due_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    if (row.status === 'answered' || row.status === 'failed' || row.status === 'not-sent')
      return { status: row.status, ms: performance.now() - started };
    if (Date.now() > new Date(row.due_at).getTime())
      return { status: 'no-answer-in-time', ms: performance.now() - started };
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 5));
  }
}
