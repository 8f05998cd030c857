import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../config/config.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** Same key, same Message-ID: a receiver (or our dev mailbox) can drop a repeat after a retry. */
  idempotencyKey: string;
  /** Extra headers, e.g. RFC 8058 `List-Unsubscribe` and `List-Unsubscribe-Post`. */
  headers?: Record<string, string> | undefined;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

function messageId(key: string, config: Config): string {
  const host = new URL(config.baseUrl).hostname;
  return `<${Buffer.from(key).toString('base64url')}@${host}>`;
}

/** SMTP time limits unless SMTP_URL sets its own (docs/operations/production.md). */
const SMTP_TIMEOUTS_MS = [
  ['connectionTimeout', 10_000],
  ['greetingTimeout', 10_000],
  ['socketTimeout', 30_000],
] as const;

/**
 * Real e-mail over SMTP when SMTP_URL is set; otherwise the development mailbox, one
 * `.eml` file a message under DATA_DIR/mailbox, named by the idempotency key so a retry
 * overwrites rather than duplicates.
 */
export function createMailer(config: Config): Mailer {
  if (config.SMTP_URL) {
    // Pooled connections unless the URL says otherwise: a new connection per message costs
    // about 100 ms, which would cap delivery near ten a second.
    const url = new URL(config.SMTP_URL);
    if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
    // A server that stops answering must fail the attempt well within the outbox lease (60 s),
    // so the retry is ours, with backoff, not a second worker's (nodemailer waits up to 10 min).
    for (const [name, ms] of SMTP_TIMEOUTS_MS)
      if (!url.searchParams.has(name)) url.searchParams.set(name, String(ms));
    const transport = nodemailer.createTransport(url.toString());
    return {
      async send(message) {
        await transport.sendMail({
          from: config.MAIL_FROM,
          to: message.to,
          subject: message.subject,
          text: message.text,
          messageId: messageId(message.idempotencyKey, config),
          ...(message.headers ? { headers: message.headers } : {}),
        });
      },
    };
  }
  const directory = mailboxDirectory(config);
  const stream = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'unix',
  });
  return {
    async send(message) {
      const info = await stream.sendMail({
        from: config.MAIL_FROM,
        to: message.to,
        subject: message.subject,
        text: message.text,
        messageId: messageId(message.idempotencyKey, config),
        ...(message.headers ? { headers: message.headers } : {}),
      });
      await mkdir(directory, { recursive: true });
      const name = message.idempotencyKey.replace(/[^\w.-]/g, '_');
      await writeFile(path.join(directory, `${name}.eml`), info.message as Buffer);
    },
  };
}

/** The outbox topic whose messages are e-mails; payload { to, subject, text, headers? }. */
export const MAIL_TOPIC = 'mail.send';

/** The extra headers a queued e-mail may carry: RFC 8058 one-click unsubscribe, nothing else. */
const ALLOWED_HEADERS = new Set(['List-Unsubscribe', 'List-Unsubscribe-Post']);

/**
 * The headers of an outbox payload that may reach the mail: allowed names with single-line text
 * values, so a payload can never add recipients or split the header block.
 *
 * @example mailHeaders({ 'List-Unsubscribe': '<https://…>', Bcc: 'x@y' }) // only List-Unsubscribe
 */
export function mailHeaders(value: unknown): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const allowed = Object.entries(value).filter(
    (entry): entry is [string, string] =>
      ALLOWED_HEADERS.has(entry[0]) && typeof entry[1] === 'string' && !/[\r\n]/.test(entry[1]),
  );
  return allowed.length > 0 ? Object.fromEntries(allowed) : undefined;
}

/** Sends one queued e-mail; the outbox's idempotency key becomes its Message-ID. */
export function mailOutboxHandler(mailer: Mailer) {
  return async (payload: Record<string, unknown>, context: { idempotencyKey: string }) => {
    const { to, subject, text } = payload as { to: string; subject: string; text: string };
    const headers = mailHeaders(payload.headers);
    await mailer.send({ to, subject, text, headers, idempotencyKey: context.idempotencyKey });
  };
}

/** Where the development mailbox lives: DATA_DIR/mailbox, or a temporary folder for an in-memory database. */
export function mailboxDirectory(config: Pick<Config, 'DATA_DIR'>): string {
  return config.DATA_DIR === ':memory:'
    ? path.join(tmpdir(), 'joinedup-mailbox')
    : path.resolve(config.DATA_DIR, 'mailbox');
}

/** An e-mail kept in the development mailbox, as read back from its `.eml` file. */
export interface StoredMail {
  /** The file name without `.eml` (the idempotency key, made safe for a file name). */
  id: string;
  from: string;
  to: string;
  subject: string;
  date: Date;
  text: string;
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`) in a header, decoded. */
function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(
      /=\?([\w-]+)\?([QqBb])\?([^?]*)\?=/g,
      (_whole, _charset, encoding: string, data: string) =>
        encoding.toUpperCase() === 'B'
          ? Buffer.from(data, 'base64').toString('utf8')
          : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}

function decodeQuotedPrintable(value: string): string {
  const bytes = value
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-Fa-f]{2})/g, (_whole, hex: string) => `%${hex}`)
    .replace(/%(?![0-9A-Fa-f]{2})/g, '%25');
  try {
    return decodeURIComponent(bytes);
  } catch {
    return value;
  }
}

/**
 * Reads back an `.eml` file the development mailbox wrote: its headers (unfolded, encoded words
 * decoded) and its plain-text body (quoted-printable or base64 decoded). Only the single-part
 * text messages this mailer writes are understood.
 */
export function parseStoredMail(id: string, raw: string, fallbackDate: Date): StoredMail {
  const normalised = raw.replace(/\r\n/g, '\n');
  const split = normalised.indexOf('\n\n');
  const head = split === -1 ? normalised : normalised.slice(0, split);
  const body = split === -1 ? '' : normalised.slice(split + 2);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '').toLowerCase();
  const text =
    encoding === 'quoted-printable'
      ? decodeQuotedPrintable(body)
      : encoding === 'base64'
        ? Buffer.from(body, 'base64').toString('utf8')
        : body;
  const date = new Date(headers.get('date') ?? '');
  return {
    id,
    from: decodeHeader(headers.get('from') ?? ''),
    to: decodeHeader(headers.get('to') ?? ''),
    subject: decodeHeader(headers.get('subject') ?? ''),
    date: Number.isNaN(date.getTime()) ? fallbackDate : date,
    text: text.replace(/\n+$/, ''),
  };
}

/** The newest files in a development folder with that extension, newest first: [id, modified]. */
export async function newestFiles(
  directory: string,
  extension: string,
  limit: number,
): Promise<{ id: string; modified: Date }[]> {
  let names: string[];
  try {
    names = (await readdir(directory)).filter((name) => name.endsWith(extension));
  } catch {
    return [];
  }
  const files = await Promise.all(
    names.map(async (name) => {
      try {
        return {
          id: name.slice(0, -extension.length),
          modified: (await stat(path.join(directory, name))).mtime,
        };
      } catch {
        return undefined; // removed while we looked
      }
    }),
  );
  return files
    .filter((file) => file !== undefined)
    .sort((a, b) => b.modified.getTime() - a.modified.getTime() || a.id.localeCompare(b.id))
    .slice(0, limit);
}

/** True for an id that names a file in a development folder and cannot climb out of it. */
export function isStoredId(id: string): boolean {
  return /^[\w.-]+$/.test(id) && !id.startsWith('.');
}

/**
 * The e-mails in the development mailbox, newest first (at most `limit`), for the `/dev/mailbox`
 * page. Empty when nothing has been written yet.
 */
export async function listStoredMail(
  config: Pick<Config, 'DATA_DIR'>,
  limit = 100,
): Promise<StoredMail[]> {
  const mails = await Promise.all(
    (await newestFiles(mailboxDirectory(config), '.eml', limit)).map((file) =>
      readStoredMail(config, file.id),
    ),
  );
  return mails.filter((mail) => mail !== undefined);
}

/** One e-mail of the development mailbox by its id, or undefined. */
export async function readStoredMail(
  config: Pick<Config, 'DATA_DIR'>,
  id: string,
): Promise<StoredMail | undefined> {
  if (!isStoredId(id)) return undefined;
  const file = path.join(mailboxDirectory(config), `${id}.eml`);
  try {
    const [raw, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    return parseStoredMail(id, raw, info.mtime);
  } catch {
    return undefined;
  }
}
