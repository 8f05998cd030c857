import { createHash, type Hash } from 'node:crypto';
import { TextCheck } from './sniff.js';

/** How many first bytes are kept for sniffing. */
export const HEAD_BYTES = 4096;
/**
 * How many last bytes are kept for a ZIP's central directory and end record (a comment may be
 * 64 KiB; the rest holds a directory of a few thousand entries, far more than a document has).
 */
export const TAIL_BYTES = 256 * 1024;

/** What a file was, once it has streamed past the probe. */
export interface ProbeResult {
  size: number;
  sha256: string;
  head: Uint8Array;
  tail: Uint8Array;
  textual: boolean;
}

/**
 * Watches a file stream past, chunk by chunk, keeping only what sniffing needs: the SHA-256, the
 * byte count, the first {@link HEAD_BYTES}, the last {@link TAIL_BYTES} and whether it is all
 * text. The result is the same however the file is split into chunks.
 */
export class ContentProbe {
  size = 0;
  private hash: Hash = createHash('sha256');
  private head = new Uint8Array(HEAD_BYTES);
  private headLength = 0;
  private tailChunks: Uint8Array[] = [];
  private tailLength = 0;
  private text = new TextCheck();

  constructor(private readonly tailBytes = TAIL_BYTES) {}

  push(chunk: Uint8Array): void {
    this.size += chunk.length;
    this.hash.update(chunk);
    if (this.headLength < HEAD_BYTES) {
      const piece = chunk.subarray(0, HEAD_BYTES - this.headLength);
      this.head.set(piece, this.headLength);
      this.headLength += piece.length;
    }
    this.tailChunks.push(chunk);
    this.tailLength += chunk.length;
    while (this.tailLength - this.tailChunks[0]!.length >= this.tailBytes) {
      this.tailLength -= this.tailChunks.shift()!.length;
    }
    this.text.push(chunk);
  }

  finish(): ProbeResult {
    const joined = Buffer.concat(this.tailChunks);
    return {
      size: this.size,
      sha256: this.hash.digest('hex'),
      head: this.head.slice(0, this.headLength),
      tail: new Uint8Array(joined.subarray(Math.max(0, joined.length - this.tailBytes))),
      textual: this.size > 0 && this.text.finish(),
    };
  }
}
