import { createHash } from 'node:crypto';
import type { FieldError } from '../../platform/errors/errors.js';
import type { AttachmentType } from './db/tables.js';

/** The largest attachment a body may send: 2 MB. */
export const MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024;
/** How many attachments one message may carry. */
export const MAX_ATTACHMENTS = 5;

/** A file as it arrived, before it is checked. */
export interface UploadedFile {
  filename: string;
  content: Buffer;
}

/** A file that passed the checks, ready to store. */
export interface CheckedAttachment {
  filename: string;
  contentType: AttachmentType;
  sizeBytes: number;
  sha256: string;
  content: Buffer;
}

const SIGNATURES: { type: AttachmentType; bytes: number[] }[] = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
];

/**
 * What a file really is, from its first bytes rather than its name or the type a sender
 * claims, so a script renamed `letter.pdf` is refused.
 */
export function sniffType(content: Uint8Array): AttachmentType | undefined {
  return SIGNATURES.find(({ bytes }) => bytes.every((byte, i) => content[i] === byte))?.type;
}

const EXTENSIONS: Record<AttachmentType, string> = {
  'application/pdf': '.pdf',
  'image/png': '.png',
  'image/jpeg': '.jpg',
};

/**
 * A file name safe to store and to send back in Content-Disposition: the last path part only,
 * no control or quoting characters, at most 120 characters, with an extension that matches
 * the content.
 *
 * @example safeFilename('C:\\docs\\"rates".pdf', 'application/pdf') // 'rates.pdf'
 */
export function safeFilename(name: string, type: AttachmentType): string {
  const base = (name.split(/[\\/]/).pop() ?? '')
    .replace(/[\p{Cc}\p{Cf}"<>|:*?]/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120);
  const stem = base.replace(/\.[^.]*$/, '') || 'attachment';
  const extension = EXTENSIONS[type];
  const kept = /\.(pdf|png|jpe?g)$/i.exec(base)?.[0]?.toLowerCase();
  const matches = kept && (kept === extension || (type === 'image/jpeg' && kept === '.jpeg'));
  return matches ? `${stem}${kept}` : `${stem}${extension}`;
}

/**
 * Checks every file of a message: at most five, each a PDF, PNG or JPEG of at most 2 MB.
 * Errors name the file and the field (`attachments`) with an i18n key and values.
 */
export function checkAttachments(
  files: UploadedFile[],
  field = 'attachments',
): { ok: true; attachments: CheckedAttachment[] } | { ok: false; errors: AttachmentError[] } {
  const errors: AttachmentError[] = [];
  if (files.length > MAX_ATTACHMENTS)
    errors.push({ field, message: 'inbox.attachment.tooMany', values: { max: MAX_ATTACHMENTS } });
  const attachments: CheckedAttachment[] = [];
  for (const file of files.slice(0, MAX_ATTACHMENTS)) {
    const name = file.filename || 'attachment';
    if (file.content.length === 0) {
      errors.push({ field, message: 'inbox.attachment.empty', values: { name } });
      continue;
    }
    if (file.content.length > MAX_ATTACHMENT_BYTES) {
      errors.push({ field, message: 'inbox.attachment.tooLarge', values: { name } });
      continue;
    }
    const type = sniffType(file.content);
    if (!type) {
      errors.push({ field, message: 'inbox.attachment.wrongType', values: { name } });
      continue;
    }
    attachments.push({
      filename: safeFilename(name, type),
      contentType: type,
      sizeBytes: file.content.length,
      sha256: createHash('sha256').update(file.content).digest('hex'),
      content: file.content,
    });
  }
  return errors.length ? { ok: false, errors } : { ok: true, attachments };
}

/** A field error whose message takes values (the file name, the limit). */
export interface AttachmentError extends FieldError {
  values?: Record<string, string | number>;
}

/** "1.2 MB", "340 KB": a file size as people read it. */
export function humanSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
