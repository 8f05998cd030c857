import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DeliveryContext } from '../outbox/outbox.js';
import { letterDirectory, letterFile, letterOutboxHandler } from './letters.js';
import { renderTextPdf } from './pdf.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const context = (idempotencyKey: string) => ({ idempotencyKey }) as DeliveryContext;

describe('the development letter handler', () => {
  it('keeps each letter as a PDF named by its idempotency key under DATA_DIR/letters', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'ju-letters-'));
    dirs.push(dataDir);
    const pdf = renderTextPdf([{ text: 'Hello' }]);
    const send = letterOutboxHandler({ DATA_DIR: dataDir });
    const payload = {
      to: { name: 'Sam', lines: ['1 High Street'] },
      pdfBase64: pdf.toString('base64'),
    };
    await send(payload, context('letter:one'));
    await send(payload, context('letter:one')); // a retry overwrites
    expect(letterFile({ DATA_DIR: dataDir }, 'letter:one')).toBe(
      path.join(dataDir, 'letters', 'letter_one.pdf'),
    );
    expect(await readFile(path.join(dataDir, 'letters', 'letter_one.pdf'))).toEqual(pdf);
  });

  it('uses a temporary folder when the database is in memory', () => {
    expect(letterDirectory({ DATA_DIR: ':memory:' })).toBe(path.join(tmpdir(), 'joinedup-letters'));
  });

  it('refuses a message without an address or with something other than a PDF', async () => {
    const send = letterOutboxHandler({ DATA_DIR: ':memory:' });
    await expect(send({ pdfBase64: '' }, context('x'))).rejects.toThrow(/to.name/);
    await expect(
      send(
        { to: { name: 'Sam', lines: [] }, pdfBase64: Buffer.from('hello').toString('base64') },
        context('x'),
      ),
    ).rejects.toThrow(/PDF/);
  });
});
