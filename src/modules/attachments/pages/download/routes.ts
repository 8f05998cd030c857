import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { recordAudit, type Actor } from '../../../../platform/audit/audit.js';
import { notFound } from '../../../../platform/errors/errors.js';
import type { CurrentUser } from '../../../../platform/http/types.js';
import { readAccess } from '../../policies/attachments.js';
import { findAttachmentRow } from '../../queries/attachments.js';
import type { AttachmentRow } from '../../db/tables.js';
import { FileMissingError, type FileStore } from '../../store/file-store.js';
import type { AttachmentServices } from '../../upload.js';

/** The audit action of a member of staff opening a person's file; the person sees it on their Security page. */
export const STAFF_READ_ACTION = 'account.attachment-read';

/** `attachment; filename="…"; filename*=UTF-8''…`: a download whatever the name's characters. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** The stored bytes of an upload; 404 when its row is there but its file is not. */
export async function openStored(
  store: FileStore,
  row: Pick<AttachmentRow, 'id' | 'storage_key'>,
): Promise<Readable> {
  try {
    return await store.get(row.storage_key);
  } catch (error) {
    if (error instanceof FileMissingError) throw notFound({ attachmentId: row.id, missing: true });
    throw error;
  }
}

/**
 * How every download of an upload is sent: its sniffed type, always as an attachment, never
 * sniffed again by a browser, never cached, sandboxed: an uploaded file can do nothing on our domain.
 */
export function downloadHeaders(
  reply: FastifyReply,
  row: Pick<AttachmentRow, 'content_type' | 'size_bytes' | 'filename'>,
): FastifyReply {
  const type = row.content_type === 'text/plain' ? 'text/plain; charset=utf-8' : row.content_type;
  return reply
    .header('content-type', type)
    .header('content-length', String(row.size_bytes))
    .header('content-disposition', contentDisposition(row.filename))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .header('content-security-policy', "default-src 'none'; sandbox");
}

/**
 * `GET /attachments/:id`: the file, to the person who uploaded it or to a caseworker of the body
 * that received the application it came with — every such staff read goes in the audit log,
 * about the person. Anyone else, signed in or not, gets 404, as for a file that does not exist.
 * Always a download (`Content-Disposition: attachment`) of the sniffed type, never sniffed again
 * by the browser, never cached, sandboxed: an uploaded file can do nothing on our domain.
 */
export function downloadRoutes(app: FastifyInstance, services: AttachmentServices): void {
  const { db, store } = services;
  app.get('/attachments/:id', { exposeHeadRoute: false }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const row = await findAttachmentRow(db, id);
    const user = request.user;
    const access = row ? readAccess(user, row) : null;
    if (!row || !access || !user) throw notFound({ attachmentId: id });
    if (access === 'staff') await auditStaffRead(request, user, row);
    const content = await openStored(store, row);
    return downloadHeaders(reply, row).send(content);
  });

  async function auditStaffRead(
    request: FastifyRequest,
    user: CurrentUser,
    row: {
      id: string;
      owner_user_id: string | null;
      submission_id: string | null;
      filename: string;
    },
  ) {
    await recordAudit(
      db,
      {
        userId: user.id,
        organisationId: user.organisationId,
        role: ['caseworker', 'team-leader'].find((r) => user.roles.includes(r)) ?? 'admin',
        requestId: request.id,
      },
      {
        action: STAFF_READ_ACTION,
        resourceType: 'attachment',
        resourceId: row.id,
        subjectUserId: row.owner_user_id,
        details: {
          submissionId: row.submission_id,
          filename: row.filename,
          organisation: user.organisationName,
        },
      },
    );
  }
}

/**
 * The audit action of staff of another body opening a person's file through a case shared with
 * their body; the person sees it on their Security page.
 */
export const SHARED_READ_ACTION = 'account.attachment-read-shared';

/** Who is given a file by another module's own check, and what the audit entry says of why. */
export interface AttachmentGrant {
  /** The reader, with the body they read for (the audit log names it). */
  actor: Actor;
  /** Why they may: e.g. `{ referral_id, reference }` for a case shared with their body. */
  details: Record<string, unknown>;
}

/**
 * Sends one file to staff of another body whom casework has let read it: a case referred to or
 * shared with their body, its attachments among the shared parts. Casework's referral check is
 * the whole permission: call this only after it, with the id it found. The read is audited
 * (`SHARED_READ_ACTION`) about the person who uploaded the file, naming the reading body; a file
 * gone since is 404. Served as every download is (`downloadHeaders`).
 *
 * @example return sendSharedAttachment(request, reply, file.id, { actor, details: { referral_id } });
 */
export async function sendSharedAttachment(
  request: FastifyRequest,
  reply: FastifyReply,
  attachmentId: string,
  grant: AttachmentGrant,
): Promise<FastifyReply> {
  const { db, store } = request.server.attachmentServices;
  const row = await findAttachmentRow(db, attachmentId);
  if (!row) throw notFound({ attachmentId, granted: grant.details });
  const content = await openStored(store, row);
  await recordAudit(db, grant.actor, {
    action: SHARED_READ_ACTION,
    resourceType: 'attachment',
    resourceId: row.id,
    subjectUserId: row.owner_user_id,
    details: {
      submissionId: row.submission_id,
      filename: row.filename,
      organisation: request.user?.organisationName ?? null,
      ...grant.details,
    },
  });
  return downloadHeaders(reply, row).send(content);
}

/**
 * Sends a file a body has published through another module (a consultation's documents, kept
 * with `keepAttachmentForBody`) to whoever that module's own check lets read it: that check
 * is the whole permission, so call this only after it. Only a kept file of a body is ever sent
 * here, never a person's upload or a file sent with an application, whatever id is given (404).
 * Not audited: a body's published document holds no one's personal data. Served as every
 * download is (`downloadHeaders`).
 *
 * @example return sendPublishedAttachment(request, reply, document.attachment_id);
 */
export async function sendPublishedAttachment(
  request: FastifyRequest,
  reply: FastifyReply,
  attachmentId: string,
): Promise<FastifyReply> {
  const { store } = request.server.attachmentServices;
  const row = await findAttachmentRow(request.server.attachmentServices.db, attachmentId);
  if (!row || row.submission_id !== null || row.linked_at === null || !row.organisation_id)
    throw notFound({ attachmentId, published: false });
  const content = await openStored(store, row);
  return downloadHeaders(reply, row).send(content);
}
