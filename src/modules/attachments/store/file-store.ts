import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';

/**
 * Where uploaded files are kept. Keys are random ({@link newStorageKey}), never a person's file
 * name; a store only ever sees bytes.
 */
export interface FileStore {
  /** Stores the stream under `key`; rejects (and keeps nothing) if the stream fails. */
  put(key: string, content: Readable): Promise<void>;
  /** The stored bytes; rejects with {@link FileMissingError} when there is no such file. */
  get(key: string): Promise<Readable>;
  /** Removes the file; a key that is not there is not an error. */
  delete(key: string): Promise<void>;
}

/** There is no file under this key (deleted, or never stored). */
export class FileMissingError extends Error {
  constructor(key: string) {
    super(`No stored file ${key}`);
    this.name = 'FileMissingError';
  }
}

const KEY = /^[0-9a-f]{32}$/;

/** A new random storage key: 128 bits as 32 hex characters. */
export function newStorageKey(): string {
  return randomBytes(16).toString('hex');
}

/** Throws unless `key` is one {@link newStorageKey} could have made, so no key is ever a path. */
export function assertStorageKey(key: string): void {
  if (!KEY.test(key)) throw new Error('Not a storage key');
}
