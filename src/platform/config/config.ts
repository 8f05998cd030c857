import { z } from 'zod';

/** WCAG contrast ratio of a #rrggbb colour against white, so a brand colour can carry white text. */
export function contrastAgainstWhite(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + i * 2, 3 + i * 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  return 1.05 / (luminance + 0.05);
}

const DEV_SESSION_SECRET = 'joinedup-development-session-secret-change-me';
/** The OCDS prefix used until a site sets OCDS_OCID_PREFIX; it is not registered to anyone. */
export const DEVELOPMENT_OCID_PREFIX = 'ocds-jndup1';

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  BASE_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().default('Joinedup <no-reply@joinedup.invalid>'),
  /** Where text messages are POSTed as JSON; unset, they go to the development SMS log. */
  SMS_URL: z.url().optional(),
  /** Sent as `Authorization: Bearer …` with each text message POSTed to SMS_URL. */
  SMS_TOKEN: z.string().min(1).optional(),
  /** The shared secret providers send (`Authorization: Bearer …`) with delivery receipts and bounces. */
  PROVIDER_CALLBACK_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_SESSION_SECRET),
  /**
   * Older session secrets, comma-separated, newest first: what was sealed or signed with them
   * still opens and verifies after SESSION_SECRET is changed (src/platform/keyring).
   */
  SESSION_SECRETS_PREVIOUS: z
    .string()
    .optional()
    .transform((list) =>
      (list ?? '')
        .split(',')
        .map((secret) => secret.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().min(32, 'each must be at least 32 characters'))),
  BRAND_NAME: z.string().min(1).max(60).default('Joinedup'),
  BRAND_COLOUR: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1d4f91')
    .refine((c) => contrastAgainstWhite(c) >= 4.5, 'must have 4.5:1 contrast with white text')
    .default('#1d4f91'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WORKER: z.enum(['on', 'off']).default('on'),
  WORKER_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  /** How many claimed outbox messages one worker handles at once (1: strictly one after another). */
  OUTBOX_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(4),
  /**
   * How long a claimed message is held before another worker may take it, if its node died. Keep
   * it well above the slowest handler (webhooks time out at 10 s).
   */
  OUTBOX_LEASE_MS: z.coerce.number().int().min(2_000).max(3_600_000).default(60_000),
  /**
   * Days a handled outbox message is kept before the worker deletes it. While kept, its
   * idempotency key turns away the same message enqueued again; dead ones are kept until retried.
   */
  OUTBOX_KEEP_DONE_DAYS: z.coerce.number().int().min(7).max(3650).default(30),
  SIGN_IN_ATTEMPTS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
  SIGN_IN_ATTEMPTS_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  /** A session unused for this long ends; the time-out warning shows SESSION_WARNING_SECONDS before. */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(480).default(30),
  SESSION_WARNING_SECONDS: z.coerce.number().int().min(10).max(3600).default(120),
  /** Where uploaded files are kept: `local` (DATA_DIR/files) or an S3-compatible bucket (S3_*). */
  FILE_STORE: z.enum(['local', 's3']).default('local'),
  S3_ENDPOINT: z.url().optional(),
  S3_BUCKET: z.string().min(1).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** The largest file anyone may upload; a question may allow less, never more. */
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  /**
   * Whether the hub may send webhooks to private and local addresses (127.0.0.1, 10.x, …).
   * Unset: only on a development site (no BASE_URL, or a localhost one), where test receivers
   * listen on this machine.
   */
  HUB_ALLOW_PRIVATE_WEBHOOKS: z.enum(['true', 'false']).optional(),
  /** The card gateway new payments use: the built-in `sandbox` (no money moves) or `stripe`. */
  PAYMENT_GATEWAY: z.enum(['sandbox', 'stripe']).default('sandbox'),
  /** Stripe's secret API key (`sk_live_…` or `sk_test_…`), needed when PAYMENT_GATEWAY is stripe. */
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  STRIPE_API_URL: z.url().default('https://api.stripe.com'),
  /** How long a call to Stripe may take before its outcome is treated as unknown and looked up. */
  STRIPE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(20_000),
  /**
   * Whether staff (every role) must have a second factor before they can use staff pages.
   * Unset: `required`, except on a development site (no BASE_URL, or a localhost one), where
   * the demo staff accounts sign in with a password alone.
   */
  STAFF_SECOND_FACTOR: z.enum(['required', 'off']).optional(),
  /** Requests a minute one payments API key may make (`/v1/payments`); more get 429 P0900. */
  PAY_API_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(600_000).default(1500),
  /**
   * The prefix of this site's Open Contracting ids (`ocds-` and the 6 characters the Open
   * Contracting Partnership registered for the publisher; docs/guides/procurement.md). The
   * default is the development one, registered to no one.
   */
  OCDS_OCID_PREFIX: z
    .string()
    .regex(/^ocds-[a-z0-9]{6}$/, 'must be ocds- and the 6 letters or digits registered for you')
    .default(DEVELOPMENT_OCID_PREFIX),
  /**
   * The bearer token Prometheus sends for `/metrics` (`Authorization: Bearer …`). Unset, the
   * metrics are open to whoever reaches the node, which the operations guide closes at nginx.
   */
  METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
});

export type Config = Readonly<
  Omit<z.infer<typeof schema>, 'SESSION_SECRETS_PREVIOUS'> & {
    SESSION_SECRETS_PREVIOUS: readonly string[];
    baseUrl: string;
    warnings: readonly string[];
    /** No BASE_URL, or a localhost one: this machine, not a live site. */
    developmentSite: boolean;
    /** HUB_ALLOW_PRIVATE_WEBHOOKS, or its default for this site. */
    hubAllowPrivateWebhooks: boolean;
    /** STAFF_SECOND_FACTOR, or its default for this site: true when staff must have one. */
    staffSecondFactor: boolean;
  }
>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Joinedup cannot start; the configuration has problems:\n  - ${problems.join('\n  - ')}`);
  }
}

/**
 * Reads the configuration once from the environment, validates it and freezes it.
 * Throws ConfigError listing every problem, so an operator can fix them all in one go.
 *
 * @example const config = loadConfig(process.env);
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const values = parsed.data;
  if (values.SESSION_WARNING_SECONDS >= values.SESSION_IDLE_MINUTES * 60) {
    throw new ConfigError([
      'SESSION_WARNING_SECONDS: must be shorter than SESSION_IDLE_MINUTES, or the warning shows at once',
    ]);
  }
  if (values.FILE_STORE === 's3') {
    const missing = (
      ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const
    ).filter((name) => !values[name]);
    if (missing.length)
      throw new ConfigError(missing.map((name) => `${name}: must be set when FILE_STORE is s3`));
  }
  if (values.PAYMENT_GATEWAY === 'stripe' && !values.STRIPE_SECRET_KEY)
    throw new ConfigError(['STRIPE_SECRET_KEY: must be set when PAYMENT_GATEWAY is stripe']);
  const baseUrl = (values.BASE_URL ?? `http://localhost:${values.PORT}`).replace(/\/$/, '');
  const developmentSite = ['localhost', '127.0.0.1', '[::1]'].includes(new URL(baseUrl).hostname);
  // The default is in the source code: on a real site it would let anyone forge cookies and
  // open every secret sealed with keys derived from it.
  if (values.SESSION_SECRET === DEV_SESSION_SECRET && !developmentSite)
    throw new ConfigError([
      `SESSION_SECRET: must be your own (32 or more random characters, e.g. openssl rand -base64 48) on ${baseUrl}; the development default is public`,
    ]);
  // A previous secret is as good as the current one for opening things, so the same rules hold.
  if (values.SESSION_SECRETS_PREVIOUS.includes(DEV_SESSION_SECRET) && !developmentSite)
    throw new ConfigError([
      `SESSION_SECRETS_PREVIOUS: must not hold the public development secret on ${baseUrl}`,
    ]);
  const warnings: string[] = [];
  if (values.SESSION_SECRET === DEV_SESSION_SECRET) {
    warnings.push('SESSION_SECRET is the development default: set your own before real use.');
  }
  if (!values.SMTP_URL) {
    warnings.push(
      `SMTP_URL is not set: e-mail goes to the development mailbox in ${values.DATA_DIR}/mailbox.`,
    );
  }
  if (!values.SMS_URL) {
    warnings.push(
      `SMS_URL is not set: text messages go to the development SMS log in ${values.DATA_DIR}/sms.`,
    );
  }
  if (values.OCDS_OCID_PREFIX === DEVELOPMENT_OCID_PREFIX)
    warnings.push(
      `OCDS_OCID_PREFIX is the development default ${DEVELOPMENT_OCID_PREFIX}, registered to no one: register your own prefix with the Open Contracting Partnership before publishing procurement open data.`,
    );
  if (!values.METRICS_TOKEN && !developmentSite)
    warnings.push(
      'METRICS_TOKEN is not set: /metrics answers anyone who reaches this node; set it, or close /metrics at the proxy.',
    );
  const hubAllowPrivateWebhooks = values.HUB_ALLOW_PRIVATE_WEBHOOKS
    ? values.HUB_ALLOW_PRIVATE_WEBHOOKS === 'true'
    : developmentSite;
  if (hubAllowPrivateWebhooks && !developmentSite)
    warnings.push(
      'HUB_ALLOW_PRIVATE_WEBHOOKS is true: bodies’ webhooks may be sent to private and local addresses.',
    );
  const staffSecondFactor = values.STAFF_SECOND_FACTOR
    ? values.STAFF_SECOND_FACTOR === 'required'
    : !developmentSite;
  if (!staffSecondFactor && !developmentSite)
    warnings.push('STAFF_SECOND_FACTOR is off: staff can use staff pages with a password alone.');
  return Object.freeze({
    ...values,
    SESSION_SECRETS_PREVIOUS: Object.freeze(values.SESSION_SECRETS_PREVIOUS),
    baseUrl,
    developmentSite,
    warnings: Object.freeze(warnings),
    hubAllowPrivateWebhooks,
    staffSecondFactor,
  });
}
