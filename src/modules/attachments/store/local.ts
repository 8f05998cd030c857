import { createWriteStream, mkdirSync } from 'node:fs';
import { open, rename, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertStorageKey, FileMissingError, type FileStore } from './file-store.js';

/**
 * Files on the local disk, in `directory/ab/abcdef…` (the first two characters of the key fan
 * the files out). A file is written as `….partial` and renamed when complete, so a reader never
 * sees half a file. The directory must not be one the web server serves.
 */
export class LocalFileStore implements FileStore {
  readonly directory: string;

  constructor(directory: string, options: { forbidden?: string[] } = {}) {
    this.directory = path.resolve(directory);
    for (const served of options.forbidden ?? []) {
      const relative = path.relative(path.resolve(served), this.directory);
      if (!relative.startsWith('..') && !path.isAbsolute(relative))
        throw new Error(`The file store ${this.directory} must not be inside ${served}`);
    }
    mkdirSync(this.directory, { recursive: true, mode: 0o700 });
  }

  private pathOf(key: string): string {
    assertStorageKey(key);
    return path.join(this.directory, key.slice(0, 2), key);
  }

  async put(key: string, content: Readable): Promise<void> {
    const target = this.pathOf(key);
    mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    const partial = `${target}.partial`;
    try {
      await pipeline(content, createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
      await rename(partial, target);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Readable> {
    try {
      const handle = await open(this.pathOf(key), 'r');
      return handle.createReadStream();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new FileMissingError(key);
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
