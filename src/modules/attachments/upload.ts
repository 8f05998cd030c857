import fastifyMultipart, { type Multipart, type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Config } from '../../platform/config/config.js';
import type { Database } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors/errors.js';
import { recordUpload } from './commands/attachments.js';
import { ContentProbe } from './probe.js';
import { checkType, identify, safeFilename, sniffMagic } from './sniff.js';
import { newStorageKey, type FileStore } from './store/file-store.js';
import { assessZipEntries, readCentralDirectory, verifyZipContent, type ZipEntry } from './zip.js';

/** What the upload routes need, set on the app by the attachments module's hook. */
export interface AttachmentServices {
  db: Kysely<Database>;
  store: FileStore;
  config: Pick<Config, 'UPLOAD_MAX_BYTES'>;
}

declare module 'fastify' {
  interface FastifyInstance {
    attachmentServices: AttachmentServices;
  }
}

/** Why an upload was refused. */
export type UploadProblem =
  'too-big' | 'wrong-type' | 'mismatch' | 'zip-bomb' | 'empty' | 'missing';

export const UPLOAD_PROBLEMS: readonly UploadProblem[] = [
  'too-big',
  'wrong-type',
  'mismatch',
  'zip-bomb',
  'empty',
  'missing',
];

/** An upload that passed every check and is stored. */
export interface UploadedAttachment {
  id: string;
  name: string;
  type: string;
  size: number;
  sha256: string;
}

export type UploadOutcome =
  { ok: true; attachment: UploadedAttachment } | { ok: false; problem: UploadProblem };

export interface UploadOptions {
  /** The question's limit; never more than UPLOAD_MAX_BYTES. */
  maxBytes: number;
  /** Types the question takes (`application/pdf`, `image/*`, `.docx`); empty: images and PDFs. */
  accept: readonly string[];
  /** The signed-in person uploading, or null (an API upload, or a form without an account). */
  ownerUserId: string | null;
  /** The body whose system uploads through the API. */
  uploaderOrganisationId?: string | null;
}

/** Room in a request for the fields around the file and the multipart framing. */
export const REQUEST_SLACK_BYTES = 1024 * 1024;

interface PendingUpload {
  parts: AsyncIterator<Multipart>;
  /** The first file part, its bytes not yet read. */
  file: MultipartFile | undefined;
  /** The request says it is bigger than any upload may be: nothing more is read. */
  tooLarge: boolean;
  used: boolean;
}

const pending = new WeakMap<FastifyRequest, PendingUpload>();
const oversized = new WeakSet<FastifyRequest>();

function servicesOf(app: FastifyInstance): AttachmentServices {
  const services = app.attachmentServices as AttachmentServices | undefined;
  if (!services) throw new Error('The attachments module is not registered');
  return services;
}

function isMultipartRequest(request: FastifyRequest): boolean {
  return /^multipart\/form-data\b/i.test(request.headers['content-type'] ?? '');
}

/**
 * Lets the routes registered on `scope` (and only those) take a file as
 * `multipart/form-data`, streamed rather than buffered. Register it in an encapsulated scope:
 *
 * @example
 * void app.register(async (scope) => {
 *   await acceptUploads(scope);
 *   scope.post('/services/:slug/apply/:page', async (request, reply) => {
 *     const upload = await receiveUpload(request, { maxBytes, accept, ownerUserId: user.id });
 *     …
 *   });
 * });
 *
 * The fields before the file (put `<input type="hidden" name="_csrf">` before the file input, as
 * browsers send fields in page order) are read before the CSRF check and become `request.body`,
 * so the platform's CSRF protection works unchanged; the file waits, unread, for
 * {@link receiveUpload}; fields after it are added to `request.body` once it has been read.
 * A multipart request must say its length, and one longer than UPLOAD_MAX_BYTES + 1 MiB is not
 * read (its upload is `too-big`).
 */
export async function acceptUploads(scope: FastifyInstance): Promise<void> {
  const { config } = servicesOf(scope);
  const requestLimit = config.UPLOAD_MAX_BYTES + REQUEST_SLACK_BYTES;
  await scope.register(fastifyMultipart, {
    throwFileSizeLimit: false,
    limits: {
      fileSize: config.UPLOAD_MAX_BYTES + 1,
      fields: 100,
      fieldSize: 100 * 1024,
      parts: 120,
      headerPairs: 100,
    },
  });

  scope.addHook('onRequest', async (request) => {
    if (!isMultipartRequest(request)) return;
    const declared = request.headers['content-length'];
    if (declared === undefined || !/^\d+$/.test(declared))
      throw new AppError('length_required', 411, 'An upload must say its length (Content-Length)');
    if (Number(declared) > requestLimit) oversized.add(request);
  });

  // Before the CSRF check (a preHandler): the fields that come before the file.
  scope.addHook('preValidation', async (request) => {
    if (!isMultipartRequest(request) || !request.isMultipart()) return;
    const parts = request.parts()[Symbol.asyncIterator]();
    const fields: Record<string, string | string[]> = {};
    let file: MultipartFile | undefined;
    for (;;) {
      const next = await parts.next();
      if (next.done) break;
      if (next.value.type === 'file') {
        file = next.value;
        break;
      }
      addField(fields, next.value.fieldname, next.value.value);
    }
    request.body = fields;
    pending.set(request, { parts, file, tooLarge: oversized.has(request), used: false });
  });

  // A response sent without reading the upload (a CSRF failure, a page that did not want it):
  // the rest of the request is read and dropped so the connection can carry the next one — or,
  // for a request too long to read, closed.
  scope.addHook('onSend', async (request, reply, payload) => {
    const state = pending.get(request);
    if (!state) return payload;
    if (state.tooLarge) reply.header('connection', 'close');
    else if (!state.used) {
      state.used = true;
      void drainRest(request, state);
    }
    return payload;
  });
}

/**
 * A full disk (or quota) is not the uploader's fault and will pass: 503 `storage_full`, so the
 * person is told to try again later and the operators' alert on 5xx fires, with the cause logged.
 */
function storeFull(error: unknown): AppError | null {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code !== 'ENOSPC' && code !== 'EDQUOT') return null;
  return new AppError(
    'storage_full',
    503,
    'Files cannot be saved at the moment. Try again later.',
    error,
  );
}

function addField(fields: Record<string, string | string[]>, name: string, value: unknown) {
  const text = typeof value === 'string' ? value : String(value ?? '');
  const existing = fields[name];
  if (existing === undefined) fields[name] = text;
  else fields[name] = Array.isArray(existing) ? [...existing, text] : [existing, text];
}

/** Reads what is left of a multipart request: fields join `request.body`, files are dropped. */
async function drainRest(request: FastifyRequest, state: PendingUpload): Promise<void> {
  try {
    state.file?.file.resume();
    const body = (request.body ?? {}) as Record<string, string | string[]>;
    for (;;) {
      const next = await state.parts.next();
      if (next.done) break;
      if (next.value.type === 'file') next.value.file.resume();
      else addField(body, next.value.fieldname, next.value.value);
    }
  } catch (error) {
    request.log.debug({ err: error }, 'rest of an upload request unreadable');
  }
}

/**
 * Receives the file of a multipart request's field named `file` (in a scope that called
 * {@link acceptUploads}): streams it to the file store while hashing it (SHA-256), counting its
 * bytes and sniffing its type, and records it if it passes every check:
 *
 * - `too-big` over `maxBytes` (or UPLOAD_MAX_BYTES): the bytes already stored are deleted and the
 *   rest is read and dropped, so the page can still say what went wrong;
 * - `empty` a file of no bytes; `missing` no file chosen;
 * - `zip-bomb` a ZIP (or DOCX, XLSX, ODT) that says or proves it inflates to more than 100 MB, or
 *   100 times its size, or carries another archive inside;
 * - `mismatch` the name's extension claims another type than the content (`letter.pdf` holding a
 *   web page); `wrong-type` a type the question does not take (or one we do not recognise).
 *
 * A refused file leaves nothing behind. A recorded one is deleted after 28 days unless
 * {@link linkAttachments} links it to an application first.
 *
 * @example
 * const upload = await receiveUpload(request, { maxBytes: 5_000_000, accept: ['application/pdf'], ownerUserId: user.id });
 * if (!upload.ok) return render(reply.code(400), { error: `attachments.problem.${upload.problem}` });
 */
export async function receiveUpload(
  request: FastifyRequest,
  options: UploadOptions,
): Promise<UploadOutcome> {
  const services = servicesOf(request.server);
  const state = pending.get(request);
  if (!state || state.used) return { ok: false, problem: 'missing' };
  state.used = true;
  if (state.tooLarge) return { ok: false, problem: 'too-big' };
  try {
    const part = state.file;
    if (!part || part.fieldname !== 'file') return { ok: false, problem: 'missing' };
    const outcome = await storeChecked(services, part, options);
    if (!outcome.ok) request.log.info({ problem: outcome.problem }, 'upload refused');
    return outcome;
  } finally {
    await drainRest(request, state);
  }
}

async function storeChecked(
  { db, store, config }: AttachmentServices,
  part: MultipartFile,
  options: UploadOptions,
): Promise<UploadOutcome> {
  const maxBytes = Math.min(options.maxBytes, config.UPLOAD_MAX_BYTES);
  const key = newStorageKey();
  const probe = new ContentProbe();
  let over = false;
  // Passes the file on to the store and the probe until it is over the limit, then drops the rest.
  const watcher = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (over || probe.size + chunk.length > maxBytes) {
        over = true;
        return done();
      }
      probe.push(chunk);
      done(null, chunk);
    },
  });
  // Both sides settle before anything is cleaned up: the store removes its partial file only
  // once its own write has failed, which may come after the reading side's failure.
  const [read, stored] = await Promise.allSettled([
    pipeline(part.file, watcher),
    store.put(key, watcher),
  ]);
  const failed = [stored, read].find((result) => result.status === 'rejected');
  if (failed) {
    await store.delete(key).catch(() => undefined);
    throw storeFull(failed.reason) ?? failed.reason;
  }
  const refuse = async (problem: UploadProblem): Promise<UploadOutcome> => {
    await store.delete(key);
    return { ok: false, problem };
  };
  if (over || part.file.truncated) return refuse('too-big');
  const content = probe.finish();
  if (content.size === 0) return refuse(part.filename ? 'empty' : 'missing');

  let zipEntries: ZipEntry[] | undefined;
  if (sniffMagic(content.head) === 'application/zip') {
    const directory = readCentralDirectory(content.tail, content.size);
    if (!directory.ok) return refuse(directory.verdict === 'bomb' ? 'zip-bomb' : 'wrong-type');
    const claims = assessZipEntries(directory.entries, content.size);
    if (claims !== 'ok') return refuse(claims === 'bomb' ? 'zip-bomb' : 'wrong-type');
    zipEntries = directory.entries;
  }
  const type = identify({ head: content.head, textual: content.textual, zipEntries });
  const checked = checkType(part.filename, type, options.accept);
  if (!checked.ok) return refuse(checked.problem);
  if (zipEntries) {
    // The expensive proof, only for a file we would otherwise keep.
    const proof = await verifyZipContent(await store.get(key), zipEntries);
    if (proof !== 'ok') return refuse(proof === 'bomb' ? 'zip-bomb' : 'wrong-type');
  }

  try {
    const attachment = await db.transaction().execute((trx) =>
      recordUpload(trx, {
        storageKey: key,
        name: safeFilename(part.filename, checked.type),
        type: checked.type,
        size: content.size,
        sha256: content.sha256,
        ownerUserId: options.ownerUserId,
        uploaderOrganisationId: options.uploaderOrganisationId ?? null,
      }),
    );
    const { id, name, type: kind, size, sha256 } = attachment;
    return { ok: true, attachment: { id, name, type: kind, size, sha256 } };
  } catch (error) {
    await store.delete(key).catch(() => undefined);
    throw error;
  }
}
