import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '../config/config.js';
import type { OutboxHandler } from '../outbox/outbox.js';

/** The outbox topic whose messages are text messages; payload { to, text }. */
export const SMS_TOPIC = 'sms.send';

export interface SmsMessage {
  /** A mobile number, as the person gave it (normalised by whoever enqueues it). */
  to: string;
  text: string;
  /** Same key, same message: a gateway (or our dev log) can drop a repeat after a retry. */
  idempotencyKey: string;
}

export interface SmsSender {
  send(message: SmsMessage): Promise<void>;
}

/** Where the development SMS log lives: one `.txt` file a message. */
export function smsLogDirectory(config: Pick<Config, 'DATA_DIR'>): string {
  return config.DATA_DIR === ':memory:'
    ? path.join(tmpdir(), 'joinedup-sms')
    : path.resolve(config.DATA_DIR, 'sms');
}

/**
 * Sends text messages. With SMS_URL set, each message is POSTed as JSON `{ to, text }` to that
 * URL with an `Idempotency-Key` header (a bridge to whatever gateway the operator runs; an
 * adapter for a particular provider such as GOV.UK Notify is not built yet). Without it, each
 * message is written to the development SMS log, a `.txt` file named by the idempotency key
 * under DATA_DIR/sms, so a retry overwrites rather than duplicates.
 *
 * @example await createSmsSender(config).send({ to: '07700900123', text: 'Your code is 123456', idempotencyKey: 'k' });
 */
export function createSmsSender(config: Config): SmsSender {
  const url = config.SMS_URL;
  if (url) {
    return {
      async send(message) {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': message.idempotencyKey,
          },
          body: JSON.stringify({ to: message.to, text: message.text }),
          signal: AbortSignal.timeout(10_000),
        });
        // A failure throws, so the outbox retries with backoff and finally dead-letters it.
        if (!response.ok) throw new Error(`SMS gateway answered ${response.status}`);
      },
    };
  }
  const directory = smsLogDirectory(config);
  return {
    async send(message) {
      await mkdir(directory, { recursive: true });
      const name = message.idempotencyKey.replace(/[^\w.-]/g, '_');
      await writeFile(
        path.join(directory, `${name}.txt`),
        `To: ${message.to}\nDate: ${new Date().toISOString()}\n\n${message.text}\n`,
      );
    },
  };
}

/** Sends one queued text message; the outbox's idempotency key travels with it. */
export function smsOutboxHandler(sender: SmsSender): OutboxHandler {
  return async (payload, context) => {
    const { to, text } = payload as { to: string; text: string };
    await sender.send({ to, text, idempotencyKey: context.idempotencyKey });
  };
}
