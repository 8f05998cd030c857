import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkAttachments, MAX_ATTACHMENT_BYTES, safeFilename, sniffType } from './attachments.js';

const PDF = Buffer.from('%PDF-1.7\n');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);

describe('attachments', () => {
  it('knows a file by its first bytes, not its name', () => {
    expect(sniffType(PDF)).toBe('application/pdf');
    expect(sniffType(JPEG)).toBe('image/jpeg');
    expect(sniffType(Buffer.from('<svg onload="alert(1)">'))).toBeUndefined();
  });

  it('keeps only a safe last part of a file name, with an extension matching the content', () => {
    expect(safeFilename('C:\\docs\\"rates".pdf', 'application/pdf')).toBe('rates.pdf');
    expect(safeFilename('../../etc/passwd', 'application/pdf')).toBe('passwd.pdf');
    expect(safeFilename('photo.html', 'image/png')).toBe('photo.png');
    expect(safeFilename('scan.JPEG', 'image/jpeg')).toBe('scan.jpeg');
    expect(safeFilename('', 'image/png')).toBe('attachment.png');
  });

  it('accepts a file of exactly 2 MB and refuses one a byte larger, naming it', () => {
    const exact = Buffer.concat([PDF, Buffer.alloc(MAX_ATTACHMENT_BYTES - PDF.length)]);
    expect(checkAttachments([{ filename: 'a.pdf', content: exact }]).ok).toBe(true);
    const over = checkAttachments([
      { filename: 'b.pdf', content: Buffer.concat([exact, Buffer.from([0])]) },
    ]);
    expect(over).toEqual({
      ok: false,
      errors: [
        { field: 'attachments', message: 'inbox.attachment.tooLarge', values: { name: 'b.pdf' } },
      ],
    });
  });

  it('refuses more than five files, and empty ones', () => {
    const six = Array.from({ length: 6 }, (_, i) => ({ filename: `${i}.pdf`, content: PDF }));
    const result = checkAttachments([
      ...six.slice(0, 5),
      { filename: 'e.pdf', content: Buffer.alloc(0) },
      six[5]!,
    ]);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors.map((e) => e.message)).toEqual(['inbox.attachment.tooMany']);
    const empty = checkAttachments([{ filename: 'e.pdf', content: Buffer.alloc(0) }]);
    expect(!empty.ok && empty.errors[0]!.message).toBe('inbox.attachment.empty');
  });

  it('records the size and SHA-256 of what it accepts', () => {
    const result = checkAttachments([{ filename: 'a.pdf', content: PDF }]);
    expect(result.ok && result.attachments[0]).toMatchObject({
      contentType: 'application/pdf',
      sizeBytes: PDF.length,
      sha256: createHash('sha256').update(PDF).digest('hex'),
    });
  });
});
