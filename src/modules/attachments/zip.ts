import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw } from 'node:zlib';

/**
 * Reading ZIP containers (ZIP itself, and DOCX, XLSX and ODT, which are ZIPs) well enough to
 * refuse zip bombs: the central directory at the end says what is inside and how big it claims
 * to be, and a second pass over the stored file inflates every entry to prove it.
 */

/** One file inside a ZIP, as its central directory describes it. */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated; anything else cannot be checked and is refused. */
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  /** Where its local header starts, from the start of the file. */
  localHeaderOffset: number;
}

/** How big a ZIP may say it is inside, and how much it may claim to grow. */
export interface ZipLimits {
  /** Total uncompressed bytes of all entries. */
  maxTotalBytes: number;
  /** Total uncompressed bytes ÷ the file's size. */
  maxRatio: number;
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = Object.freeze({
  maxTotalBytes: 100 * 1024 * 1024,
  maxRatio: 100,
  maxEntries: 5000,
});

/** Why a ZIP cannot be accepted: `bomb` (too big inside, nested, overlapping, unverifiable) or `corrupt`. */
export type ZipVerdict = 'ok' | 'bomb' | 'corrupt';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;

/**
 * The entries of a ZIP from the last bytes of the file (`tail`, which must hold the whole
 * central directory and the end record). `corrupt` when it is not a readable ZIP; `bomb` when it
 * is built to hurt: ZIP64 (no upload needs 4 GB), several disks, more entries than allowed, or a
 * central directory too big for the tail.
 *
 * @example readCentralDirectory(lastBytes, fileSize) // { ok: true, entries: [...] }
 */
export function readCentralDirectory(
  tail: Uint8Array,
  fileSize: number,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): { ok: true; entries: ZipEntry[] } | { ok: false; verdict: Exclude<ZipVerdict, 'ok'> } {
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  const tailStart = fileSize - tail.length;
  let end = -1;
  const lowest = Math.max(0, tail.length - EOCD_SIZE - MAX_COMMENT);
  for (let i = tail.length - EOCD_SIZE; i >= lowest; i--) {
    if (
      view.getUint32(i, true) === EOCD &&
      i + EOCD_SIZE + view.getUint16(i + 20, true) === tail.length
    ) {
      end = i;
      break;
    }
  }
  if (end < 0) return { ok: false, verdict: 'corrupt' };
  const disk = view.getUint16(end + 4, true);
  const cdDisk = view.getUint16(end + 6, true);
  const onDisk = view.getUint16(end + 8, true);
  const total = view.getUint16(end + 10, true);
  const cdSize = view.getUint32(end + 12, true);
  const cdOffset = view.getUint32(end + 16, true);
  if (total === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff)
    return { ok: false, verdict: 'bomb' }; // ZIP64
  if (disk !== 0 || cdDisk !== 0 || onDisk !== total) return { ok: false, verdict: 'bomb' };
  if (total > limits.maxEntries) return { ok: false, verdict: 'bomb' };
  if (cdOffset + cdSize !== tailStart + end) return { ok: false, verdict: 'corrupt' };
  if (cdOffset < tailStart) return { ok: false, verdict: 'bomb' }; // a huge directory
  const entries: ZipEntry[] = [];
  let at = cdOffset - tailStart;
  const decoder = new TextDecoder('utf-8', { fatal: false });
  for (let n = 0; n < total; n++) {
    if (at + 46 > end || view.getUint32(at, true) !== CENTRAL)
      return { ok: false, verdict: 'corrupt' };
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > end) return { ok: false, verdict: 'corrupt' };
    const entry: ZipEntry = {
      flags: view.getUint16(at + 8, true),
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      uncompressedSize: view.getUint32(at + 24, true),
      localHeaderOffset: view.getUint32(at + 42, true),
      name: decoder.decode(tail.subarray(at + 46, at + 46 + nameLength)),
    };
    if (
      entry.compressedSize === 0xffffffff ||
      entry.uncompressedSize === 0xffffffff ||
      entry.localHeaderOffset === 0xffffffff
    )
      return { ok: false, verdict: 'bomb' };
    if (entry.localHeaderOffset + 30 + entry.compressedSize > cdOffset)
      return { ok: false, verdict: 'corrupt' };
    entries.push(entry);
    at = next;
  }
  if (at !== end) return { ok: false, verdict: 'corrupt' };
  return { ok: true, entries };
}

/** File names of archives, which a ZIP must not carry inside it. */
const ARCHIVE_NAME =
  /\.(zip|jar|war|apk|7z|rar|gz|tgz|bz2|tbz2?|xz|txz|zst|lz|lzma|cab|tar|iso|docx|xlsx|pptx|odt|ods|odp)$/i;

/**
 * What the central directory claims, judged before any byte is inflated: too big in total,
 * growing more than `maxRatio` times the file, an archive inside, entries that overlap.
 */
export function assessZipEntries(
  entries: ZipEntry[],
  fileSize: number,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): ZipVerdict {
  let total = 0;
  for (const entry of entries) {
    if (entry.method !== 0 && entry.method !== 8) return 'bomb';
    if (entry.method === 0 && entry.compressedSize !== entry.uncompressedSize) return 'corrupt';
    if (ARCHIVE_NAME.test(entry.name)) return 'bomb';
    total += entry.uncompressedSize;
  }
  if (total > limits.maxTotalBytes) return 'bomb';
  if (fileSize > 0 && total / fileSize > limits.maxRatio) return 'bomb';
  const ordered = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  for (let i = 1; i < ordered.length; i++) {
    const previous = ordered[i - 1]!;
    // Overlapping entries are how a "non-recursive" bomb reuses one compressed block many times.
    if (ordered[i]!.localHeaderOffset < previous.localHeaderOffset + 30 + previous.compressedSize)
      return 'bomb';
  }
  return 'ok';
}

/** The first bytes of archives and compressed streams: a ZIP carrying one of these is nested. */
const NESTED_SIGNATURES: number[][] = [
  [0x50, 0x4b, 0x03, 0x04], // ZIP
  [0x50, 0x4b, 0x05, 0x06], // empty ZIP
  [0x1f, 0x8b], // gzip
  [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], // 7z
  [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], // RAR
  [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], // xz
  [0x28, 0xb5, 0x2f, 0xfd], // zstd
];

/** True when `bytes` starts like an archive or a compressed stream. */
export function looksLikeArchive(bytes: Uint8Array): boolean {
  return NESTED_SIGNATURES.some(
    (signature) =>
      bytes.length >= signature.length && signature.every((byte, i) => bytes[i] === byte),
  );
}

/** Reads exact byte counts from a stream of chunks, keeping at most one chunk in memory. */
class ByteReader {
  private chunk: Uint8Array = new Uint8Array(0);
  position = 0;
  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  private async fill(): Promise<boolean> {
    while (this.chunk.length === 0) {
      const next = await this.source.next();
      if (next.done) return false;
      this.chunk = next.value;
    }
    return true;
  }

  /** The next `length` bytes, each yielded as it is read. */
  async *take(length: number): AsyncGenerator<Uint8Array> {
    let left = length;
    while (left > 0) {
      if (!(await this.fill())) throw new Error('unexpected end of ZIP');
      const piece = this.chunk.subarray(0, Math.min(left, this.chunk.length));
      this.chunk = this.chunk.subarray(piece.length);
      this.position += piece.length;
      left -= piece.length;
      yield piece;
    }
  }

  async read(length: number): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    let at = 0;
    for await (const piece of this.take(length)) {
      out.set(piece, at);
      at += piece.length;
    }
    return out;
  }

  async skip(length: number): Promise<void> {
    for await (const _piece of this.take(length));
  }
}

class Refused extends Error {}

/**
 * The second pass: reads the stored file from the start, inflates every entry and counts what
 * really comes out, so a central directory that lies about its sizes, an archive inside an
 * entry, or entries that overlap are caught. Inflating stops at the first byte over the entry's
 * declared size, so the work is bounded by the limits `assessZipEntries` already checked.
 */
export async function verifyZipContent(
  file: AsyncIterable<Uint8Array>,
  entries: ZipEntry[],
): Promise<ZipVerdict> {
  const iterator = file[Symbol.asyncIterator]();
  const reader = new ByteReader(iterator);
  try {
    for (const entry of [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset)) {
      if (entry.localHeaderOffset < reader.position) return 'bomb';
      await reader.skip(entry.localHeaderOffset - reader.position);
      const header = await reader.read(30);
      const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
      if (view.getUint32(0, true) !== LOCAL) return 'corrupt';
      await reader.skip(view.getUint16(26, true) + view.getUint16(28, true));
      const verdict = await checkEntry(reader, entry);
      if (verdict !== 'ok') return verdict;
    }
    return 'ok';
  } catch (error) {
    if (error instanceof Refused) return 'bomb';
    return 'corrupt';
  } finally {
    await iterator.return?.();
  }
}

async function checkEntry(reader: ByteReader, entry: ZipEntry): Promise<ZipVerdict> {
  if (entry.method === 0) {
    const start = await reader.read(Math.min(8, entry.compressedSize));
    if (looksLikeArchive(start)) return 'bomb';
    await reader.skip(entry.compressedSize - start.length);
    return 'ok';
  }
  if (entry.method !== 8) return 'bomb';
  const seen: { produced: number; start: Uint8Array } = { produced: 0, start: new Uint8Array(0) };
  const counter = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (seen.start.length < 8)
        seen.start = concat(seen.start, chunk.subarray(0, 8)).subarray(0, 8);
      seen.produced += chunk.length;
      done(seen.produced > entry.uncompressedSize ? new Refused('bigger than it claims') : null);
    },
  });
  await pipeline(Readable.from(reader.take(entry.compressedSize)), createInflateRaw(), counter);
  if (seen.produced !== entry.uncompressedSize) return 'corrupt';
  if (looksLikeArchive(seen.start)) return 'bomb';
  return 'ok';
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
