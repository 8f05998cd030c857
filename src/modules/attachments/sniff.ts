import type { ZipEntry } from './zip.js';

/**
 * What a file is, from its bytes rather than its name or what the browser claimed. Pure
 * functions: the upload pipeline feeds them the first bytes, whether the whole file was text,
 * and (for ZIP containers) the entries of its central directory.
 */

export const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const ODT = 'application/vnd.oasis.opendocument.text';

/** Every type we can recognise, with the file name extensions that honestly claim it. */
export const FILE_TYPES = {
  'application/pdf': ['pdf'],
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg', 'jpe', 'jfif'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'image/heic': ['heic', 'heif'],
  'text/plain': ['txt', 'text', 'csv'],
  [DOCX]: ['docx'],
  [XLSX]: ['xlsx'],
  [ODT]: ['odt'],
  'application/zip': ['zip'],
} as const satisfies Record<string, readonly string[]>;

export type FileType = keyof typeof FILE_TYPES;

export const KNOWN_TYPES = Object.keys(FILE_TYPES) as FileType[];

/** Images and PDFs: what a question takes unless its form allows more. */
export const DEFAULT_ACCEPT: readonly FileType[] = Object.freeze([
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/heic',
]);

/** Types whose content is a ZIP container, so the zip-bomb checks apply. */
export const ZIP_CONTAINERS: ReadonlySet<FileType> = new Set([DOCX, XLSX, ODT, 'application/zip']);

/**
 * Extensions of types we do not take, so that a name claiming one of them (`invoice.exe`
 * holding a PNG, `letter.pdf` holding HTML) is a mismatch rather than silently renamed.
 */
const OTHER_EXTENSIONS: Record<string, string> = {
  exe: 'application/x-msdownload',
  dll: 'application/x-msdownload',
  msi: 'application/x-msi',
  com: 'application/x-msdownload',
  scr: 'application/x-msdownload',
  bat: 'application/x-bat',
  cmd: 'application/x-bat',
  ps1: 'text/x-powershell',
  sh: 'application/x-sh',
  js: 'text/javascript',
  mjs: 'text/javascript',
  vbs: 'text/vbscript',
  jar: 'application/java-archive',
  html: 'text/html',
  htm: 'text/html',
  xhtml: 'application/xhtml+xml',
  svg: 'image/svg+xml',
  xml: 'application/xml',
  json: 'application/json',
  rtf: 'application/rtf',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  docm: 'application/vnd.ms-word.document.macroEnabled.12',
  xlsm: 'application/vnd.ms-excel.sheet.macroEnabled.12',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odp: 'application/vnd.oasis.opendocument.presentation',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  avif: 'image/avif',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  gz: 'application/gzip',
  tgz: 'application/gzip',
  '7z': 'application/x-7z-compressed',
  rar: 'application/vnd.rar',
  iso: 'application/x-iso9660-image',
};

const EXTENSION_TO_TYPE: ReadonlyMap<string, string> = new Map([
  ...Object.entries(OTHER_EXTENSIONS),
  ...Object.entries(FILE_TYPES).flatMap(([type, extensions]) =>
    extensions.map((extension) => [extension, type] as [string, string]),
  ),
]);

function startsWith(bytes: Uint8Array, signature: readonly number[], at = 0): boolean {
  return bytes.length >= at + signature.length && signature.every((b, i) => bytes[at + i] === b);
}

function ascii(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0));
}

const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx']);

/** An ISO-BMFF `ftyp` box naming a HEIC brand, major or compatible. */
function isHeic(head: Uint8Array): boolean {
  if (!startsWith(head, ascii('ftyp'), 4)) return false;
  const boxSize = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(0);
  const end = Math.min(boxSize, head.length);
  if (boxSize < 16) return false;
  const decoder = new TextDecoder('latin1');
  const brand = (at: number) => decoder.decode(head.subarray(at, at + 4));
  if (HEIC_BRANDS.has(brand(8))) return true;
  for (let at = 16; at + 4 <= end; at += 4) if (HEIC_BRANDS.has(brand(at))) return true;
  return false;
}

/** The kind a file's first bytes announce, or undefined when no signature matches. */
export type Magic = Exclude<FileType, 'text/plain' | typeof DOCX | typeof XLSX | typeof ODT>;

/**
 * The type announced by a file's first bytes (magic numbers). A ZIP container is `application/zip`
 * here; {@link zipKind} tells a Word or OpenDocument file from a plain ZIP.
 *
 * @example sniffMagic(Buffer.from('%PDF-1.7\n…')) // 'application/pdf'
 */
export function sniffMagic(head: Uint8Array): Magic | undefined {
  if (startsWith(head, ascii('%PDF-'))) return 'application/pdf';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'image/webp';
  if (isHeic(head)) return 'image/heic';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06]))
    return 'application/zip';
  return undefined;
}

/**
 * Which ZIP container this is, from the names inside it and (for OpenDocument) the `mimetype`
 * entry, which the standard puts first and uncompressed so it can be read from the head.
 */
export function zipKind(entries: readonly Pick<ZipEntry, 'name'>[], head: Uint8Array): FileType {
  const names = new Set(entries.map((e) => e.name));
  if (names.has('[Content_Types].xml') && names.has('word/document.xml')) return DOCX;
  if (names.has('[Content_Types].xml') && names.has('xl/workbook.xml')) return XLSX;
  if (firstEntryText(head, 'mimetype') === ODT) return ODT;
  return 'application/zip';
}

/** The content of the first local entry when it has that name and is stored uncompressed. */
function firstEntryText(head: Uint8Array, name: string): string | undefined {
  if (!startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || head.length < 30) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const method = view.getUint16(8, true);
  const size = view.getUint32(18, true);
  const nameLength = view.getUint16(26, true);
  const extraLength = view.getUint16(28, true);
  const start = 30 + nameLength + extraLength;
  if (method !== 0 || size > 200 || start + size > head.length) return undefined;
  const decoder = new TextDecoder('latin1');
  if (decoder.decode(head.subarray(30, 30 + nameLength)) !== name) return undefined;
  return decoder.decode(head.subarray(start, start + size));
}

/**
 * True when the bytes are UTF-8 without a NUL: plain text. For a whole file use
 * {@link TextCheck}, which reads it chunk by chunk.
 */
export function isPlainText(bytes: Uint8Array): boolean {
  const check = new TextCheck();
  check.push(bytes);
  return check.finish();
}

/** Plain-text detection over a stream of chunks, split anywhere (even inside a character). */
export class TextCheck {
  private decoder = new TextDecoder('utf-8', { fatal: true });
  private textual = true;

  push(chunk: Uint8Array): void {
    if (!this.textual) return;
    if (chunk.includes(0)) {
      this.textual = false;
      return;
    }
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      this.textual = false;
    }
  }

  finish(): boolean {
    if (!this.textual) return false;
    try {
      this.decoder.decode();
      return true;
    } catch {
      return false;
    }
  }
}

/** The lower-case extension of a file name (`'pdf'` for `Letter.PDF`), or undefined. */
export function extensionOf(name: string): string | undefined {
  const base = name.split(/[\\/]/).pop() ?? '';
  const match = /\.([A-Za-z0-9]{1,10})$/.exec(base);
  return match && match.index > 0 ? match[1]!.toLowerCase() : undefined;
}

/**
 * The type a file name's extension claims, when it is one we know (ours or a dangerous or
 * common other one); undefined for no extension or an unknown one, which claim nothing.
 */
export function claimedType(name: string): string | undefined {
  const extension = extensionOf(name);
  return extension === undefined ? undefined : EXTENSION_TO_TYPE.get(extension);
}

/**
 * True when a question's `accept` list takes this type. Entries may be types
 * (`application/pdf`), families (`image/*`) or extensions (`.pdf`); an empty list means
 * {@link DEFAULT_ACCEPT}.
 */
export function isAccepted(type: FileType, accept: readonly string[]): boolean {
  const list = accept.length ? accept : DEFAULT_ACCEPT;
  return list.some((entry) => {
    const item = entry.trim().toLowerCase();
    if (item === type) return true;
    if (item.endsWith('/*')) return type.startsWith(item.slice(0, -1));
    if (item.startsWith('.')) return EXTENSION_TO_TYPE.get(item.slice(1)) === type;
    return false;
  });
}

/** What the upload pipeline knows once a file has streamed past. */
export interface ContentSummary {
  /** The first bytes (at least 4 KiB, or the whole file when smaller). */
  head: Uint8Array;
  /** Whether the whole file was UTF-8 without a NUL. */
  textual: boolean;
  /** For a ZIP container, the entries of its central directory. */
  zipEntries?: readonly ZipEntry[];
}

/**
 * The type of a file from its content, or undefined when we do not recognise it.
 *
 * @example identify({ head, textual: false }) // 'image/png'
 */
export function identify(summary: ContentSummary): FileType | undefined {
  const magic = sniffMagic(summary.head);
  if (magic === 'application/zip') return zipKind(summary.zipEntries ?? [], summary.head);
  if (magic) return magic;
  return summary.textual ? 'text/plain' : undefined;
}

/** Why a file is refused, before any zip-bomb check: its name lies, or the question does not take it. */
export type TypeProblem = 'mismatch' | 'wrong-type';

/**
 * Checks a file's name and type against a question: `mismatch` when the name's extension claims
 * another type than the content (checked first: `letter.pdf` holding HTML, `photo.png` holding a
 * program), `wrong-type` when the content is unknown or not in `accept`.
 */
export function checkType(
  name: string,
  type: FileType | undefined,
  accept: readonly string[],
): { ok: true; type: FileType } | { ok: false; problem: TypeProblem } {
  const claimed = claimedType(name);
  if (claimed !== undefined && claimed !== type) return { ok: false, problem: 'mismatch' };
  if (type === undefined || !isAccepted(type, accept)) return { ok: false, problem: 'wrong-type' };
  return { ok: true, type };
}

/**
 * A file name safe to store and to send back in Content-Disposition: the last path part only,
 * without control or quoting characters, at most 200 characters, ending in an extension of its
 * (sniffed) type.
 *
 * @example safeFilename('C:\\scans\\"rates".pdf', 'application/pdf') // 'rates.pdf'
 */
export function safeFilename(name: string, type: FileType): string {
  const base = (name.split(/[\\/]/).pop() ?? '')
    .replace(/[\p{Cc}\p{Cf}"<>|:*?]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
  const extensions: readonly string[] = FILE_TYPES[type];
  const extension = extensionOf(base);
  const known = extension !== undefined && EXTENSION_TO_TYPE.has(extension);
  const stem = (known ? base.slice(0, -(extension.length + 1)) : base).slice(0, 180).trim();
  const kept = extension && extensions.includes(extension) ? extension : extensions[0]!;
  return `${stem || 'file'}.${kept}`;
}
