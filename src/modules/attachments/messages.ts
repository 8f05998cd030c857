import type { Translate } from '../../platform/i18n/i18n.js';
import { FILE_TYPES, isAccepted, KNOWN_TYPES } from './sniff.js';
import type { UploadProblem } from './upload.js';

/** "10 MB", "340 KB": a size as people read it (1 MB = 1,048,576 bytes, as their computer shows). */
export function humanSize(bytes: number): string {
  if (bytes >= 1024 * 1024) {
    const mb = bytes / (1024 * 1024);
    return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
  }
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** The types a question takes, as people know them: "PDF, PNG or JPEG" (or in Welsh). */
export function acceptedTypesText(t: Translate, accept: readonly string[]): string {
  const names = KNOWN_TYPES.filter((type) => isAccepted(type, accept)).map((type) =>
    t(`attachments.type.${FILE_TYPES[type][0]}`),
  );
  if (names.length < 2) return names.join('');
  return `${names.slice(0, -1).join(', ')} ${t('attachments.types.or')} ${names.at(-1)}`;
}

/**
 * The message for a refused upload, for the error summary and the file question, e.g.
 * "The selected file must be smaller than 10 MB".
 *
 * @example uploadProblemText(request.t, upload.problem, { maxBytes, accept })
 */
export function uploadProblemText(
  t: Translate,
  problem: UploadProblem,
  question: { maxBytes: number; accept: readonly string[] },
): string {
  return t(`attachments.problem.${problem}`, {
    max: humanSize(question.maxBytes),
    types: acceptedTypesText(t, question.accept),
  });
}
