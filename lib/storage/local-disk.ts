// Attachments on local disk under one root (DATA_DIR/uploads). Writes go to a temporary file that
// is flushed and then renamed into place, so a reader or a crash never sees half a file. The
// content type sits beside the bytes in a small JSON file under `.meta/`.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { withExactLength } from './exact-length';
import type { ByteRange, FileStorage, PutMeta, StoredObject } from './types';

/** Segments of letters, digits, `_`, `-` and `.`, never starting with a dot: no `..`, no hidden names. */
const KEY_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}(?:\/[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}){0,7}$/;
const FALLBACK_TYPE = 'application/octet-stream';

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';

export class LocalDiskStorage implements FileStorage {
  private readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** Keys are server-made, but a bad one is refused here anyway rather than trusted. */
  private pathFor(key: string): string {
    const full = path.resolve(this.root, key);
    if (!KEY_PATTERN.test(key) || !full.startsWith(this.root + path.sep)) {
      throw new Error(`Invalid storage key: ${JSON.stringify(key)}`);
    }
    return full;
  }

  private metaPathFor(key: string): string {
    return path.join(this.root, '.meta', `${key}.json`);
  }

  async put(key: string, body: Buffer | Readable, meta: PutMeta): Promise<number> {
    const target = this.pathFor(key);
    const metaTarget = this.metaPathFor(key);
    // Temporary files live under the root, so the rename stays on one filesystem (atomic).
    const tmpDir = path.join(this.root, '.tmp');
    const tmp = path.join(tmpDir, randomUUID());
    const metaTmp = `${tmp}.json`;
    await Promise.all([tmpDir, path.dirname(target), path.dirname(metaTarget)].map((dir) => mkdir(dir, { recursive: true })));
    try {
      const source = meta.size === undefined ? body : withExactLength(body, meta.size);
      const file = createWriteStream(tmp, { flags: 'wx', mode: 0o600, flush: true });
      await pipeline(Buffer.isBuffer(source) ? Readable.from([source]) : source, file);
      await writeFile(metaTmp, JSON.stringify({ contentType: meta.contentType }), { flag: 'wx', mode: 0o600, flush: true });
      // The bytes land last: a key with bytes always has its metadata.
      await rename(metaTmp, metaTarget);
      await rename(tmp, target);
      return file.bytesWritten;
    } catch (error) {
      await Promise.all([rm(tmp, { force: true }), rm(metaTmp, { force: true })]);
      throw error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<StoredObject | null> {
    const file = this.pathFor(key);
    let handle;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    try {
      // The open handle keeps reading the same file even if it is deleted meanwhile.
      const { size } = await handle.stat();
      const contentType = await this.readContentType(key);
      const body = handle.createReadStream(range ? { start: range.start, end: range.end } : {});
      return { body, size, contentType };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  private async readContentType(key: string): Promise<string> {
    try {
      const meta = JSON.parse(await readFile(this.metaPathFor(key), 'utf8')) as { contentType?: unknown };
      return typeof meta.contentType === 'string' ? meta.contentType : FALLBACK_TYPE;
    } catch (error) {
      if (isMissing(error)) return FALLBACK_TYPE;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathFor(key), { force: true });
    await rm(this.metaPathFor(key), { force: true });
  }
}
