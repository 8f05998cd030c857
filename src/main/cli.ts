#!/usr/bin/env node
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../platform/config/config.js';
import {
  BackupError,
  backupEmbedded,
  holdEmbeddedDataDir,
  restoreEmbedded,
} from '../platform/db/backup.js';
import { openDatabase } from '../platform/db/connect.js';
import { migrate } from '../platform/db/migrator.js';
import { createStaffUser, registerCitizen } from '../modules/identity/index.js';
import {
  findOrganisationBySlug,
  formatOrganisationLine,
  listOrganisations,
} from '../modules/organisations/index.js';
import { notifyKeyCreate, notifyTemplateCreate } from '../modules/notify/index.js';
import { addressImport, geoImportOnspd } from '../modules/address/index.js';
import { oidcClientCreate, oidcKeysRotate, type CommandResult } from '../modules/sso/index.js';
import { hubDeliverySet, hubKeyCreate } from '../modules/submissions/index.js';
import { apiKeyCreate } from '../modules/open311/index.js';
import { payKeyCreate, payReconcile, payWebhookCreate } from '../modules/payments/index.js';
import { retentionRunCommand } from '../modules/retention/index.js';
import { performanceBackfillCommand } from '../modules/performance/index.js';
import { MODULES } from './modules.js';
import { createLogger, createPlatform } from './platform.js';
import { secretsRotateCheck } from './secrets.js';
import { DEMO_ACCOUNTS, isEmpty, seedDemo } from './seed.js';

const USAGE = `Usage: joinedup <command>

  start                      migrate, seed the demo when the database is empty, and serve
  serve                      serve pages, API and (unless WORKER=off) the outbox worker
  worker                     run only the outbox worker
  migrate                    apply database migrations
  seed --demo                add the demo organisations, service and accounts
  user:create --email E --role R [--role R2] [--org SLUG] [--name N] [--password P]
                             create a staff user (with --org) or a citizen (without)
  org:list                   list organisations: slug, GSS code, name (tab-separated)
  secrets:rotate-check [--reseal]
                             after SESSION_SECRET changed: whether anything sealed still
                             needs a secret in SESSION_SECRETS_PREVIOUS (exit 1 if so);
                             --reseal first seals it all again under SESSION_SECRET
  oidc:client:create --name N --redirect-uri U [--redirect-uri U2] [--post-logout-redirect-uri U]
                     [--backchannel-logout-uri U] [--auth private_key_jwt|client_secret_post]
                     [--jwks-uri U | --jwks-file F] [--sector S]
                             register a single sign-on relying party; prints its client_id
                             (and, for client_secret_post, its secret, once)
  oidc:keys:rotate           new OIDC signing keys; old ones stay published for a day
  notify:key:create --org <slug or GSS code> --type live|team|test [--name N]
                             issue a GOV.UK Notify-compatible API key; prints it, once
  notify:template:create --org <slug or GSS code> --type email|sms|letter --name N
                     [--subject S] --body B [--welsh-subject S] [--welsh-body B]
                             add a notification template (with a Welsh version: both
                             languages sent, Welsh first); prints its id
  hub:key:create --org <slug or GSS code> --scope submit|receive|submit-any|open311 [--name N]
                             issue a submission hub API key; prints it, once
  api-key:create --org <GSS code or slug> --scope open311 [--name N]
                             issue a key for reporting problems through Open311
                             (/open311/v2) in any area; prints it, once
  pay:key:create --org <GSS code or slug> [--name N]
                             issue a GOV.UK Pay-compatible payments API key; prints it, once
  pay:webhook:create --org <GSS code or slug> --url U
                             send the body's payment events to U, signed (Pay-Signature);
                             prints the signing secret, once
  pay:reconcile --org <GSS code or slug> --date YYYY-MM-DD
                             print the body's payments, refunds and totals by service
                             for that UK day, as CSV
  hub:delivery:set --org <slug or GSS code> --mode casework|push|pull [--url U]
                     [--alert-email E]
                             how a body takes its submissions; prints a new webhook
                             signing secret, once
  geo:import-onspd FILE      stream the ONS Postcode Directory CSV into the postcode table
                             (any size; 1,000 rows a transaction; safe to run again)
  address:import FILE        stream an address CSV (uprn,saon,paon,street,locality,town,postcode)
  retention:run [--dry-run]  delete or anonymise every body's records whose retention period is
                             over (as the nightly job does); --dry-run prints what it would do
  performance:backfill [--since YYYY-MM-DD]
                             record the performance facts of submissions, decisions, payments
                             and changes of circumstances made before the performance module
                             was installed (all, or since the date); safe to run again
  backup --out FILE          the embedded database (DATA_DIR/pglite) to FILE (.tar.gz) with a
                             manifest FILE.json (checksum, row counts); stop the node first.
                             PostgreSQL: use pg_dump and PITR (docs/operations/backups.md)
  restore --from FILE        check FILE against its manifest, then replace the embedded database
                             with it (the old one is moved aside, not deleted); node stopped
`;

async function withDatabase<T>(
  config: Config,
  work: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>,
): Promise<T> {
  const handle = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    await migrate(handle.db);
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}

async function serve(
  config: Config,
  options: { seedWhenEmpty: boolean; workerOnly?: boolean },
): Promise<void> {
  const platform = await createPlatform(config);
  const { logger } = platform;
  for (const warning of config.warnings) logger.warn(warning);
  // Backup and restore of the embedded database refuse while this process holds its files.
  const release =
    platform.database.kind === 'pglite' && config.DATA_DIR !== ':memory:'
      ? holdEmbeddedDataDir(config.DATA_DIR)
      : () => {};
  let seeded = false;
  // Demo accounts have public passwords: never added by `start` to a live site's database (an
  // operator who wants a demo there runs `seed --demo` on purpose).
  const demo = options.seedWhenEmpty && config.developmentSite;
  if (options.seedWhenEmpty && !config.developmentSite)
    logger.warn(`not adding the demo accounts on ${config.baseUrl}: their passwords are public`);
  if (demo && (await isEmpty(platform.database.db))) {
    await seedDemo(platform.database.db);
    seeded = true;
  }
  if (!options.workerOnly) {
    await platform.app.listen({ port: config.PORT, host: config.HOST });
    const address = platform.app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const url = config.BASE_URL ?? `http://localhost:${port}`;
    process.stdout.write(banner(url, platform.database.kind, config.DATA_DIR, seeded, demo));
  } else {
    process.stdout.write('Joinedup outbox worker running.\n');
  }
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await platform.close();
    release();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

function banner(
  url: string,
  kind: string,
  dataDir: string,
  seeded: boolean,
  demo: boolean,
): string {
  const lines = [
    '',
    `Joinedup is running at ${url}`,
    `Database: ${kind === 'pglite' ? `embedded PGlite (${dataDir})` : 'PostgreSQL'}${seeded ? ', demo data added' : ''}`,
  ];
  if (demo) {
    lines.push('', 'Demo sign-ins (for a demo only: the passwords are public):');
    for (const account of DEMO_ACCOUNTS) {
      lines.push(`  ${account.email.padEnd(40)} ${account.password.padEnd(28)} ${account.who}`);
    }
  }
  return `${lines.join('\n')}\n\n`;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig(process.env);
  switch (command) {
    case 'start':
      await serve(config, { seedWhenEmpty: true });
      return -1;
    case 'serve':
      await serve(config, { seedWhenEmpty: false });
      return -1;
    case 'worker':
      await serve({ ...config, WORKER: 'on' }, { seedWhenEmpty: false, workerOnly: true });
      return -1;
    case 'migrate': {
      const handle = await openDatabase({
        databaseUrl: config.DATABASE_URL,
        dataDir: config.DATA_DIR,
      });
      try {
        const { applied } = await migrate(handle.db);
        console.log(
          applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.',
        );
      } finally {
        await handle.close();
      }
      return 0;
    }
    case 'seed': {
      const { values } = parseArgs({ args: rest, options: { demo: { type: 'boolean' } } });
      if (!values.demo) throw new UsageError('seed needs --demo');
      return withDatabase(config, async (db) => {
        if (!(await isEmpty(db))) {
          console.error(
            'The database already has accounts; the demo is only added to an empty database.',
          );
          return 1;
        }
        await seedDemo(db);
        console.log('Demo organisations, service and accounts added.');
        return 0;
      });
    }
    case 'user:create':
      return createUser(config, rest);
    case 'oidc:client:create':
      return withDatabase(config, async (db) => printed(await oidcClientCreate(db, rest)));
    case 'oidc:keys:rotate':
      return withDatabase(config, async (db) => printed(await oidcKeysRotate(db)));
    case 'notify:key:create':
      return withDatabase(config, async (db) => printed(await notifyKeyCreate(db, config, rest)));
    case 'notify:template:create':
      return withDatabase(config, async (db) => printed(await notifyTemplateCreate(db, rest)));
    case 'hub:key:create':
      return withDatabase(config, async (db) => printed(await hubKeyCreate(db, rest)));
    case 'api-key:create':
      return withDatabase(config, async (db) => printed(await apiKeyCreate(db, rest)));
    case 'pay:key:create':
      return withDatabase(config, async (db) => printed(await payKeyCreate(db, rest)));
    case 'pay:webhook:create':
      return withDatabase(config, async (db) => printed(await payWebhookCreate(db, config, rest)));
    case 'pay:reconcile':
      return withDatabase(config, async (db) => printed(await payReconcile(db, rest)));
    case 'hub:delivery:set':
      return withDatabase(config, async (db) => printed(await hubDeliverySet(db, config, rest)));
    case 'geo:import-onspd':
      return withDatabase(config, async (db) =>
        printed(await geoImportOnspd(db, rest, (line) => console.log(line))),
      );
    case 'address:import':
      return withDatabase(config, async (db) =>
        printed(await addressImport(db, rest, (line) => console.log(line))),
      );
    case 'retention:run':
      return withDatabase(config, async (db) =>
        printed(
          await retentionRunCommand(
            db,
            MODULES.flatMap((module) => module.retention ?? []),
            rest,
          ),
        ),
      );
    case 'performance:backfill':
      return withDatabase(config, async (db) =>
        printed(await performanceBackfillCommand(db, rest)),
      );
    case 'backup':
      return backup(config, rest);
    case 'restore':
      return restore(config, rest);
    case 'secrets:rotate-check':
      return withDatabase(config, async (db) =>
        printed(await secretsRotateCheck(db, config, rest)),
      );
    case 'org:list':
      return withDatabase(config, async (db) => {
        for (const organisation of await listOrganisations(db))
          console.log(formatOrganisationLine(organisation));
        return 0;
      });
    default:
      throw new UsageError(command ? `Unknown command ${command}` : 'No command given');
  }
}

async function createUser(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      role: { type: 'string', multiple: true },
      org: { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' },
    },
  });
  if (!values.email) throw new UsageError('user:create needs --email');
  const generated = !values.password;
  const password = values.password ?? randomBytes(12).toString('base64url');
  const displayName = values.name ?? values.email.split('@')[0]!;
  return withDatabase(config, async (db) => {
    let outcome;
    if (values.org) {
      const organisation = await findOrganisationBySlug(db, values.org);
      if (!organisation) {
        console.error(`No organisation with slug ${values.org}; see joinedup org:list`);
        return 1;
      }
      outcome = await createStaffUser(db, {
        email: values.email!,
        password,
        displayName,
        organisationId: organisation.id,
        roles: values.role ?? [],
      });
    } else {
      if (values.role?.length)
        throw new UsageError('Roles need --org: staff belong to an organisation');
      outcome = await registerCitizen(db, { email: values.email!, password, displayName });
    }
    if (!outcome.ok) {
      for (const error of outcome.errors) console.error(`${error.field}: ${error.message}`);
      return 1;
    }
    console.log(
      `Created ${outcome.user.kind} ${outcome.user.email}${generated ? ` with password ${password}` : ''}`,
    );
    return 0;
  });
}

class UsageError extends Error {}

function embeddedOnly(config: Config, command: string): void {
  if (config.DATABASE_URL)
    throw new UsageError(
      `${command} is for the embedded database; with DATABASE_URL use pg_dump / pg_restore and point-in-time recovery (docs/operations/backups.md)`,
    );
}

async function backup(config: Config, args: string[]): Promise<number> {
  embeddedOnly(config, 'backup');
  const { values } = parseArgs({ args, options: { out: { type: 'string' } } });
  if (!values.out) throw new UsageError('backup needs --out FILE');
  const manifest = await backupEmbedded({ dataDir: config.DATA_DIR, out: values.out });
  const rows = Object.values(manifest.tables).reduce((sum, n) => sum + n, 0);
  console.log(
    `Backed up ${Object.keys(manifest.tables).length} tables (${rows} rows, last migration ${manifest.lastMigration}) to ${values.out} (${manifest.bytes} bytes, sha256 ${manifest.sha256}) and ${values.out}.json`,
  );
  return 0;
}

async function restore(config: Config, args: string[]): Promise<number> {
  embeddedOnly(config, 'restore');
  const { values } = parseArgs({ args, options: { from: { type: 'string' } } });
  if (!values.from) throw new UsageError('restore needs --from FILE');
  const { manifest, previous } = await restoreEmbedded({
    dataDir: config.DATA_DIR,
    from: values.from,
  });
  console.log(
    `Restored the backup of ${manifest.createdAt} (${Object.keys(manifest.tables).length} tables, every row count checked)${previous ? `; the database it replaced is in ${previous}` : ''}`,
  );
  return 0;
}

function printed(result: CommandResult): number {
  for (const line of result.out) console.log(line);
  for (const line of result.err) console.error(line);
  return result.code;
}

main(process.argv.slice(2))
  .then((code) => {
    if (code >= 0) process.exit(code);
  })
  .catch((error: unknown) => {
    if (error instanceof ConfigError || error instanceof BackupError) console.error(error.message);
    else if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
    else createLogger(loadConfigOrDefault()).error({ err: error }, 'command failed');
    process.exit(error instanceof UsageError ? 64 : 1);
  });

function loadConfigOrDefault(): Config {
  try {
    return loadConfig(process.env);
  } catch {
    return loadConfig({});
  }
}
