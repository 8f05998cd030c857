import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '../config/config.js';
import type { Db } from '../db/database.js';
import { isStoredId, newestFiles } from '../mail/mailer.js';
import { enqueue, type OutboxHandler } from '../outbox/outbox.js';

/** The outbox topic whose messages are printed letters; payload {@link LetterPayload}. */
export const LETTER_TOPIC = 'letter.send';

/** A letter ready to print: who it goes to (as the envelope window shows it) and the PDF. */
export interface LetterPayload {
  to: { name: string; lines: string[] };
  pdfBase64: string;
}

/**
 * Queues a rendered letter in the caller's transaction, so it is posted if and only if the
 * change that needs it is committed. Call `context.wakeOutbox()` after committing.
 *
 * @example await queueLetter(trx, { to: { name, lines }, pdf }, `letter:enrolment:${codeId}`);
 */
export async function queueLetter(
  db: Db,
  letter: { to: LetterPayload['to']; pdf: Buffer },
  idempotencyKey: string,
): Promise<void> {
  const payload: LetterPayload = { to: letter.to, pdfBase64: letter.pdf.toString('base64') };
  await enqueue(db, { topic: LETTER_TOPIC, payload: { ...payload }, idempotencyKey });
}

/** Where the development post room keeps letters: DATA_DIR/letters, or a temporary folder for an in-memory database. */
export function letterDirectory(config: Pick<Config, 'DATA_DIR'>): string {
  return config.DATA_DIR === ':memory:'
    ? path.join(tmpdir(), 'joinedup-letters')
    : path.resolve(config.DATA_DIR, 'letters');
}

/** The file a letter with this idempotency key is kept in (a retry overwrites rather than duplicates). */
export function letterFile(config: Pick<Config, 'DATA_DIR'>, idempotencyKey: string): string {
  return path.join(letterDirectory(config), `${idempotencyKey.replace(/[^\w.-]/g, '_')}.pdf`);
}

/**
 * Posts one queued letter. There is no print partner yet: each PDF is kept in the letter
 * directory, named by its idempotency key, for someone to print or for a test to read.
 */
// TODO: an adapter for a print-and-post partner (GOV.UK Notify's letters API or a
// hybrid-mail supplier), chosen by configuration, sending the same PDF and address.
export function letterOutboxHandler(config: Pick<Config, 'DATA_DIR'>): OutboxHandler {
  return async (payload, context) => {
    const { to, pdfBase64 } = payload as unknown as LetterPayload;
    if (!to?.name || !Array.isArray(to.lines) || typeof pdfBase64 !== 'string')
      throw new Error('A letter needs to.name, to.lines and pdfBase64');
    const pdf = Buffer.from(pdfBase64, 'base64');
    if (!pdf.subarray(0, 5).equals(Buffer.from('%PDF-'))) throw new Error('A letter must be a PDF');
    await mkdir(letterDirectory(config), { recursive: true });
    await writeFile(letterFile(config, context.idempotencyKey), pdf);
  };
}

/** A letter kept in the development post room: its id (file name without `.pdf`) and when it was posted. */
export interface StoredLetter {
  id: string;
  date: Date;
}

/** The letters in the development post room, newest first (at most `limit`), for `/dev/mailbox`. */
export async function listStoredLetters(
  config: Pick<Config, 'DATA_DIR'>,
  limit = 100,
): Promise<StoredLetter[]> {
  return (await newestFiles(letterDirectory(config), '.pdf', limit)).map((file) => ({
    id: file.id,
    date: file.modified,
  }));
}

/** The PDF of one letter of the development post room by its id, or undefined. */
export async function readStoredLetter(
  config: Pick<Config, 'DATA_DIR'>,
  id: string,
): Promise<Buffer | undefined> {
  if (!isStoredId(id)) return undefined;
  try {
    return await readFile(path.join(letterDirectory(config), `${id}.pdf`));
  } catch {
    return undefined;
  }
}
