import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { isStoredId, newestFiles } from '../mail/mailer.js';
import type { OutboxHandler } from '../outbox/outbox.js';

/** The outbox topic whose messages are text messages; payload { to, text }. */
export const SMS_TOPIC = 'sms.send';

export interface SmsMessage {
  /** A mobile number, as the person gave it (normalised by whoever enqueues it). */
  to: string;
  text: string;
  /** Same key, same message: a gateway (or our dev log) can drop a repeat after a retry. */
  idempotencyKey: string;
  /**
   * Our id for the message, which the provider sends back with its delivery receipt
   * (`POST /api/v1/providers/sms/status`); the notification id for notify's messages.
   */
  reference?: string | undefined;
}

/**
 * What became of handing a text message to the provider:
 * - `accepted`: it took the message (HTTP 2xx, or written to the development log); a delivery
 *   receipt may follow;
 * - `permanent-failure`: it refused the message for good (HTTP 4xx other than 429, such as an
 *   invalid number): sending it again would not help;
 * - `temporary-failure`: 429, 5xx, a time-out or a dropped connection: try again later.
 */
export type SmsOutcome =
  | { status: 'accepted'; via: 'http' | 'log' }
  | { status: 'permanent-failure' | 'temporary-failure'; reason: string; httpStatus?: number };

export interface SmsSender {
  send(message: SmsMessage): Promise<SmsOutcome>;
}

/** Where the development SMS log lives: one `.txt` file a message. */
export function smsLogDirectory(config: Pick<Config, 'DATA_DIR'>): string {
  return config.DATA_DIR === ':memory:'
    ? path.join(tmpdir(), 'joinedup-sms')
    : path.resolve(config.DATA_DIR, 'sms');
}

/** How long to wait for the provider before counting the attempt as a temporary failure. */
const SMS_TIMEOUT_MS = 10_000;

/** Sorts an HTTP answer from the provider into accepted, permanent or temporary. */
export function smsOutcomeFor(httpStatus: number): SmsOutcome {
  if (httpStatus >= 200 && httpStatus < 300) return { status: 'accepted', via: 'http' };
  const reason = `SMS provider answered ${httpStatus}`;
  if (httpStatus >= 400 && httpStatus < 500 && httpStatus !== 429)
    return { status: 'permanent-failure', reason, httpStatus };
  return { status: 'temporary-failure', reason, httpStatus };
}

/**
 * Hands one text message to the provider. With SMS_URL set, it is POSTed as JSON
 * `{ to, text, reference }` with `Authorization: Bearer SMS_TOKEN` (when set) and an
 * `Idempotency-Key` header, and the answer sorted by {@link smsOutcomeFor}; a time-out or a
 * refused connection is a temporary failure. Without SMS_URL it is written to the development
 * SMS log, a `.txt` file named by the idempotency key under DATA_DIR/sms, so a retry overwrites
 * rather than duplicates. It never throws for a provider's answer: the caller decides what a
 * failure means (the outbox handler below retries temporary ones; notify records the status).
 *
 * @example const outcome = await sendSms(config, { to: '+447700900123', text: 'Your code is 123456', idempotencyKey: 'k', reference: id });
 */
export async function sendSms(
  config: Pick<Config, 'SMS_URL' | 'SMS_TOKEN' | 'DATA_DIR'>,
  message: SmsMessage,
): Promise<SmsOutcome> {
  const url = config.SMS_URL;
  if (!url) {
    const directory = smsLogDirectory(config);
    await mkdir(directory, { recursive: true });
    const name = message.idempotencyKey.replace(/[^\w.-]/g, '_');
    await writeFile(
      path.join(directory, `${name}.txt`),
      `To: ${message.to}\nDate: ${new Date().toISOString()}\n` +
        (message.reference ? `Reference: ${message.reference}\n` : '') +
        `\n${message.text}\n`,
    );
    return { status: 'accepted', via: 'log' };
  }
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'idempotency-key': message.idempotencyKey,
  };
  if (config.SMS_TOKEN) headers.authorization = `Bearer ${config.SMS_TOKEN}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        to: message.to,
        text: message.text,
        reference: message.reference ?? null,
      }),
      signal: AbortSignal.timeout(SMS_TIMEOUT_MS),
    });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { status: 'temporary-failure', reason: `SMS provider unreachable: ${detail}` };
  }
  // Read (and discard) the body so the connection can be reused.
  await response.arrayBuffer().catch(() => undefined);
  return smsOutcomeFor(response.status);
}

/**
 * A sender bound to the configuration (see {@link sendSms}).
 *
 * @example await createSmsSender(config).send({ to: '07700900123', text: 'Your code is 123456', idempotencyKey: 'k' });
 */
export function createSmsSender(
  config: Pick<Config, 'SMS_URL' | 'SMS_TOKEN' | 'DATA_DIR'>,
): SmsSender {
  return { send: (message) => sendSms(config, message) };
}

/**
 * Sends one queued text message (payload `{ to, text, notificationId? }`); the outbox's
 * idempotency key travels with it, and `notificationId` (when given) as the provider reference.
 * A temporary failure throws, so the outbox retries with backoff and finally dead-letters it; a
 * permanent one is logged and not retried.
 */
export function smsOutboxHandler(sender: SmsSender): OutboxHandler {
  return async (payload, context) => {
    const { to, text, notificationId } = payload as {
      to: string;
      text: string;
      notificationId?: string;
    };
    const outcome = await sender.send({
      to,
      text,
      idempotencyKey: context.idempotencyKey,
      reference: notificationId,
    });
    if (outcome.status === 'temporary-failure') throw new Error(outcome.reason);
    if (outcome.status === 'permanent-failure')
      context.logger.warn({ reason: outcome.reason }, 'text message refused for good; not retried');
  };
}

/** A text message kept in the development SMS log, as read back from its `.txt` file. */
export interface StoredSms {
  /** The file name without `.txt` (the idempotency key, made safe for a file name). */
  id: string;
  to: string;
  date: Date;
  text: string;
}

/** Reads back a `.txt` file the development SMS log wrote: its `To:`/`Date:` lines and the text. */
function parseStoredSms(id: string, raw: string, fallbackDate: Date): StoredSms {
  const normalised = raw.replace(/\r\n/g, '\n');
  const split = normalised.indexOf('\n\n');
  const head = split === -1 ? normalised : normalised.slice(0, split);
  const text = split === -1 ? '' : normalised.slice(split + 2);
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(head)?.[1]?.trim() ?? '';
  const date = new Date(header('Date'));
  return {
    id,
    to: header('To'),
    date: Number.isNaN(date.getTime()) ? fallbackDate : date,
    text: text.replace(/\n+$/, ''),
  };
}

/** The text messages in the development SMS log, newest first (at most `limit`), for `/dev/mailbox`. */
export async function listStoredSms(
  config: Pick<Config, 'DATA_DIR'>,
  limit = 100,
): Promise<StoredSms[]> {
  const texts = await Promise.all(
    (await newestFiles(smsLogDirectory(config), '.txt', limit)).map((file) =>
      readStoredSms(config, file.id),
    ),
  );
  return texts.filter((sms) => sms !== undefined);
}

/** One text message of the development SMS log by its id, or undefined. */
export async function readStoredSms(
  config: Pick<Config, 'DATA_DIR'>,
  id: string,
): Promise<StoredSms | undefined> {
  if (!isStoredId(id)) return undefined;
  const file = path.join(smsLogDirectory(config), `${id}.txt`);
  try {
    const [raw, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    return parseStoredSms(id, raw, info.mtime);
  } catch {
    return undefined;
  }
}
