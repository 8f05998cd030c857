import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config/config.js';
import {
  createMailer,
  mailboxDirectory,
  mailHeaders,
  mailOutboxHandler,
} from '../../platform/mail/mailer.js';

const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

describe('a reminder e-mail through the platform mailer', () => {
  it('carries the RFC 8058 one-click unsubscribe headers into the e-mail', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'joinedup-reminder-mail-'));
    directories.push(dataDir);
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const link = 'http://localhost:3000/reminders/unsubscribe/abc';
    await mailOutboxHandler(createMailer(config))(
      {
        to: 'sam@example.com',
        subject: 'Reminder: Bins',
        text: `Put your bin out this evening. To stop them: ${link}`,
        headers: {
          'List-Unsubscribe': `<${link}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
      },
      { idempotencyKey: 'reminder-message:test' },
    );
    const eml = (
      await readFile(path.join(mailboxDirectory(config), 'reminder-message_test.eml'), 'utf8')
    ).replace(/\n[ \t]+/g, ' ');
    expect(eml).toMatch(new RegExp(`^List-Unsubscribe: <${link}>$`, 'm'));
    expect(eml).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
  });

  it('adds no such headers to other e-mails', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'joinedup-reminder-mail-'));
    directories.push(dataDir);
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    await mailOutboxHandler(createMailer(config))(
      { to: 'sam@example.com', subject: 'Hello', text: 'Hi' },
      { idempotencyKey: 'plain' },
    );
    const eml = await readFile(path.join(mailboxDirectory(config), 'plain.eml'), 'utf8');
    expect(eml).not.toContain('List-Unsubscribe');
  });
});

describe('the headers a queued e-mail may carry', () => {
  it('keeps the one-click unsubscribe headers and drops every other name', () => {
    expect(
      mailHeaders({
        'List-Unsubscribe': '<https://a.example/u>',
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        Bcc: 'x@example.com',
        'Reply-To': 'y@example.com',
      }),
    ).toEqual({
      'List-Unsubscribe': '<https://a.example/u>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('drops a value that would split the header block, and anything that is not text', () => {
    expect(mailHeaders({ 'List-Unsubscribe': '<https://a.example/u>\r\nBcc: x@example.com' })).toBe(
      undefined,
    );
    expect(mailHeaders({ 'List-Unsubscribe': 42 })).toBeUndefined();
    expect(mailHeaders('List-Unsubscribe: <x>')).toBeUndefined();
    expect(mailHeaders(undefined)).toBeUndefined();
  });
});
