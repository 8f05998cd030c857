import type { Db } from '../../../platform/db/database.js';
import { attachmentsByIds, linkAttachments } from '../../attachments/index.js';
import { HubError } from './errors.js';
import { isUuid } from '../../../platform/validation/uuid.js';

function isFileReference(value: unknown): value is { id: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { id?: unknown }).id === 'string' &&
    isUuid((value as { id: string }).id)
  );
}

/** The answers that are lists of uploads (`[{ id, … }]`), by question name. */
export function fileLists(answers: Record<string, unknown>): [string, { id: string }[]][] {
  return Object.entries(answers).filter(
    (entry): entry is [string, { id: string }[]] =>
      Array.isArray(entry[1]) && entry[1].length > 0 && entry[1].every(isFileReference),
  );
}

/**
 * The answers with each file given by its upload's id described as the upload really is: its
 * stored name, the type sniffed from its content and its size, whatever the caller said. So
 * the form's checks of type and size apply to the file, and a caller may send just `{ id }`.
 * Ids that are not uploads are left as they are (linking them fails later).
 */
export async function describeUploads(
  db: Db,
  answers: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const lists = fileLists(answers);
  if (lists.length === 0) return answers;
  const stored = new Map(
    (
      await attachmentsByIds(
        db,
        lists.flatMap(([, files]) => files.map((f) => f.id)),
      )
    ).map((a) => [a.id, a]),
  );
  const described = { ...answers };
  for (const [name, files] of lists)
    described[name] = files.map((file) => {
      const upload = stored.get(file.id.toLowerCase());
      return upload
        ? { id: upload.id, name: upload.name, type: upload.type, size: upload.size }
        : file;
    });
  return described;
}

/**
 * Links the files of a submission sent through the API to it and to the body it goes to (whose
 * caseworkers, and whose system with its receive key, may then read them), in the transaction
 * that stores it. Each must be an upload of the sender — the sending body's (`POST
 * /api/v1/attachments` with its key) or, for a person's access token, the person's own — not yet
 * sent with another submission; otherwise a 400 names the question and the transaction stores
 * nothing.
 */
export async function linkUploads(
  trx: Db,
  submission: { id: string; organisationId: string },
  answers: Record<string, unknown>,
  uploader: { uploaderOrganisationId: string } | { ownerUserId: string },
): Promise<void> {
  const files = fileLists(answers).flatMap(([name, list]) =>
    list.map((file) => ({ name, id: file.id.toLowerCase() })),
  );
  if (files.length === 0) return;
  const linked = new Set(
    await linkAttachments(
      trx,
      submission.id,
      submission.organisationId,
      files.map((f) => f.id),
      uploader,
    ),
  );
  const missing = files.filter((file) => !linked.has(file.id));
  if (missing.length > 0)
    throw new HubError(
      'validation_error',
      400,
      'A file is not one of your uploads',
      [...new Set(missing.map((f) => f.name))].map((name) => ({
        field: `body.answers.${name}`,
        message:
          'ownerUserId' in uploader
            ? 'Upload each file with POST /api/v1/attachments using the person’s access token, and send it with one submission only'
            : 'Upload each file with POST /api/v1/attachments using a key of your organisation, and send it with one submission only',
      })),
    );
}
