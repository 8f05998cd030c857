import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import type { Config } from '../platform/config/config.js';
import { openDatabase, type DatabaseHandle } from '../platform/db/connect.js';
import { migrate } from '../platform/db/migrator.js';
import { buildApp } from '../platform/http/app.js';
import type { AppContext, ApplicationSection, ModuleManifest } from '../platform/http/types.js';
import { LETTER_TOPIC, letterOutboxHandler } from '../platform/letters/letters.js';
import { createMailer, MAIL_TOPIC, mailOutboxHandler } from '../platform/mail/mailer.js';
import { OutboxWorker, type OutboxHandler } from '../platform/outbox/outbox.js';
import { createSmsSender, SMS_TOPIC, smsOutboxHandler } from '../platform/sms/sms.js';
import { MODULES } from './modules.js';

export interface Platform {
  app: FastifyInstance;
  database: DatabaseHandle;
  worker: OutboxWorker;
  logger: Logger;
  /** The settings it runs with (the benchmarks set bodies up with them, as the CLI does). */
  config: Config;
  close(): Promise<void>;
}

export function createLogger(config: Config): Logger {
  return pino({
    level: config.LOG_LEVEL,
    redact: ['req.headers.cookie', 'req.headers.authorization'],
  });
}

/** Every topic's handler: the platform's own (e-mail, text messages, letters) and each module's. */
export function outboxHandlers(
  context: AppContext,
  modules: ModuleManifest[],
): Map<string, OutboxHandler> {
  const handlers = new Map<string, OutboxHandler>([
    [MAIL_TOPIC, mailOutboxHandler(createMailer(context.config))],
    [LETTER_TOPIC, letterOutboxHandler(context.config)],
    [SMS_TOPIC, smsOutboxHandler(createSmsSender(context.config))],
  ]);
  for (const module of modules) {
    for (const [topic, handler] of Object.entries(module.outboxHandlers?.(context) ?? {}))
      handlers.set(topic, handler);
  }
  return handlers;
}

/**
 * Opens the database, migrates it, and builds the web app and the outbox worker (started
 * when config.WORKER is on). Used by `serve`, the tests and the benchmarks alike.
 */
export async function createPlatform(
  config: Config,
  options: { database?: DatabaseHandle; logger?: Logger; modules?: ModuleManifest[] } = {},
): Promise<Platform> {
  const logger = options.logger ?? createLogger(config);
  const database =
    options.database ??
    (await openDatabase({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.DATA_DIR,
      onIdleError: (error) => logger.warn({ err: error }, 'database connection ended'),
    }));
  await migrate(database.db);
  const modules = options.modules ?? MODULES;
  const context: AppContext = {
    config,
    db: database.db,
    logger,
    wakeOutbox: () => worker.wake(),
    async accountEvent(trx, event) {
      for (const module of modules) await module.onAccountEvent?.(trx, event);
    },
    retentionRecordTypes: () => modules.flatMap((module) => module.retention ?? []),
    async personalDataOf(userId) {
      const parts = [];
      for (const module of modules) {
        if (!module.personalData && !module.personalDataOf) continue;
        const sections = (await module.personalDataOf?.(database.db, userId)) ?? [];
        parts.push({
          module: module.name,
          declared: module.personalData ?? [],
          listed: !!module.personalDataOf,
          sections,
        });
      }
      return parts;
    },
    async applicationSections(request, application) {
      const loaded = await Promise.all(
        sections().map(async ({ template, load }) => ({
          template,
          values: await load(request, application),
        })),
      );
      return loaded.flatMap(({ template, values }) => (values ? [{ template, values }] : []));
    },
  };
  // Asked for once, at the first application page: each module's sections need the context.
  let sectionList: ApplicationSection[] | undefined;
  const sections = () =>
    (sectionList ??= modules.flatMap((module) => module.applicationSections?.(context) ?? []));
  const worker: OutboxWorker = new OutboxWorker(
    database.db,
    outboxHandlers(context, modules),
    logger.child({ component: 'outbox' }),
    {
      pollMs: config.WORKER_POLL_MS,
      maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
      concurrency: config.OUTBOX_CONCURRENCY,
      leaseMs: config.OUTBOX_LEASE_MS,
      keepDoneMs: config.OUTBOX_KEEP_DONE_DAYS * 86_400_000,
    },
  );
  const app = await buildApp(context, modules);
  if (config.WORKER === 'on') worker.start();
  return {
    app,
    database,
    worker,
    logger,
    config,
    async close() {
      await worker.stop();
      await app.close();
      if (!options.database) await database.close();
    },
  };
}
