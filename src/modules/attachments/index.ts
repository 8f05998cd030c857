/**
 * The attachments module: files uploaded with applications — streamed to the file store, their
 * type sniffed from their content, served only to those allowed. Other modules import only from here.
 */
export { attachmentsModule } from './module.js';
/** Taking a file in a page or API route: `await acceptUploads(scope)`, then `receiveUpload(request, …)`. */
export {
  acceptUploads,
  receiveUpload,
  UPLOAD_PROBLEMS,
  type UploadedAttachment,
  type UploadOptions,
  type UploadOutcome,
  type UploadProblem,
} from './upload.js';
export { attachmentsByIds, type Attachment } from './queries/attachments.js';
export { canReadAttachment } from './queries/access.js';
/** Serving a file of a case shared with another body, after casework's referral check; audited. */
export {
  sendSharedAttachment,
  SHARED_READ_ACTION,
  type AttachmentGrant,
} from './pages/download/routes.js';
/** A body's published files (a consultation's documents): kept with the body, sent after the caller's check. */
export { sendPublishedAttachment } from './pages/download/routes.js';
export {
  keepAttachmentForBody,
  eraseBodyAttachment,
  linkAttachments,
  UNSENT_RETENTION_DAYS,
} from './commands/attachments.js';
/** Retention: the files sent with applications whose period is over. */
export { eraseAttachmentsOfSubmissions } from './retention.js';
/** The hub registers `POST /api/v1/attachments` with its own key check. */
export {
  attachmentApiRoutes,
  type ApiUploadAuthenticator,
  type ApiUploader,
} from './api/routes.js';
/** The hub registers `GET /api/v1/attachments/{id}` for the receiving body's system, with its receive key. */
export {
  attachmentApiDownloads,
  SYSTEM_READ_ACTION,
  type ApiReadAuthenticator,
  type ApiReader,
} from './api/routes.js';
export { DEFAULT_ACCEPT, FILE_TYPES, isAccepted, type FileType } from './sniff.js';
export { uploadProblemText, acceptedTypesText, humanSize } from './messages.js';
