import { mkdir, writeFile } from 'node:fs/promises';
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
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

function messageId(key: string, config: Config): string {
  const host = new URL(config.baseUrl).hostname;
  return `<${Buffer.from(key).toString('base64url')}@${host}>`;
}

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
    const transport = nodemailer.createTransport(url.toString());
    return {
      async send(message) {
        await transport.sendMail({
          from: config.MAIL_FROM,
          to: message.to,
          subject: message.subject,
          text: message.text,
          messageId: messageId(message.idempotencyKey, config),
        });
      },
    };
  }
  const directory =
    config.DATA_DIR === ':memory:'
      ? path.join(tmpdir(), 'joinedup-mailbox')
      : path.resolve(config.DATA_DIR, 'mailbox');
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
      });
      await mkdir(directory, { recursive: true });
      const name = message.idempotencyKey.replace(/[^\w.-]/g, '_');
      await writeFile(path.join(directory, `${name}.eml`), info.message as Buffer);
    },
  };
}

/** The outbox topic whose messages are e-mails; payload { to, subject, text }. */
export const MAIL_TOPIC = 'mail.send';

/** Sends one queued e-mail; the outbox's idempotency key becomes its Message-ID. */
export function mailOutboxHandler(mailer: Mailer) {
  return async (payload: Record<string, unknown>, context: { idempotencyKey: string }) => {
    const { to, subject, text } = payload as { to: string; subject: string; text: string };
    await mailer.send({ to, subject, text, idempotencyKey: context.idempotencyKey });
  };
}
