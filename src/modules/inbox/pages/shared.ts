import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../../platform/audit/audit.js';
import { AppError } from '../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../platform/http/types.js';
import type { Translate } from '../../../platform/i18n/i18n.js';
import {
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
  type AttachmentError,
  type UploadedFile,
} from '../attachments.js';

/** The largest "Send a message" form: five 2 MB files and the text, with room for the encoding. */
export const MULTIPART_LIMIT = MAX_ATTACHMENTS * MAX_ATTACHMENT_BYTES + 1024 * 1024;

/**
 * Lets the routes registered on `scope` (and only those) take `multipart/form-data`, so a file
 * can be chosen without JavaScript. Fields become strings; files are gathered in `files`.
 * The parsing is Node's own (the WHATWG `FormData` of `fetch`), so no package is needed.
 */
export function acceptMultipart(scope: FastifyInstance): void {
  scope.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: MULTIPART_LIMIT },
    async (request: FastifyRequest, body: Buffer) => {
      try {
        return await parseMultipart(body, String(request.headers['content-type']));
      } catch (error) {
        throw new AppError('bad_request', 400, 'inbox.send.unreadable', error);
      }
    },
  );
}

/** Reads a multipart body: each field as a string, each non-empty file into `files`. */
export async function parseMultipart(
  body: Buffer,
  contentType: string,
): Promise<Record<string, unknown> & { files: UploadedFile[] }> {
  const form = await new Response(new Uint8Array(body), {
    headers: { 'content-type': contentType },
  }).formData();
  const fields: Record<string, unknown> & { files: UploadedFile[] } = { files: [] };
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') {
      if (name !== 'files') fields[name] = value;
      continue;
    }
    // A browser sends an empty part for a file input left empty.
    if (value.size === 0 && !value.name) continue;
    fields.files.push({ filename: value.name, content: Buffer.from(await value.arrayBuffer()) });
  }
  return fields;
}

/** The error summary and field errors, for messages that take values (a file name, a limit). */
export function inboxErrorView(errors: AttachmentError[], t: Translate) {
  const errorList = errors.map((e) => ({ text: t(e.message, e.values), href: `#${e.field}` }));
  const fieldErrors: Record<string, { text: string }> = {};
  for (const e of errors) {
    const text = t(e.message, e.values);
    fieldErrors[e.field] = fieldErrors[e.field]
      ? { text: `${fieldErrors[e.field]!.text} ${text}` }
      : { text };
  }
  return { errorList, fieldErrors };
}

/** Who is acting, for the audit log. */
export function actorOf(request: FastifyRequest, user: CurrentUser, role?: string): Actor {
  return {
    userId: user.id,
    organisationId: user.organisationId,
    role: role ?? user.kind,
    requestId: request.id,
  };
}

/** `attachment; filename="…"; filename*=UTF-8''…`: a download whatever the name's characters. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/**
 * Sends a stored attachment as a download that the browser must not open in place or guess
 * the type of: `Content-Disposition: attachment`, `X-Content-Type-Options: nosniff`, not cached.
 */
export function sendAttachment(
  reply: FastifyReply,
  file: { filename: string; content_type: string; size_bytes: number; content: Uint8Array },
) {
  return reply
    .header('content-type', file.content_type)
    .header('content-disposition', contentDisposition(file.filename))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .send(Buffer.from(file.content.buffer, file.content.byteOffset, file.content.byteLength));
}

/** Plain text as paragraphs of lines, for the `plainText` macro: nothing in it is taken as markup. */
export function paragraphs(text: string): string[][] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => p.split('\n'));
}
