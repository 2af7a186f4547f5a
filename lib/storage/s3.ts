// Attachments in an S3 bucket, on AWS or any S3-compatible server (MinIO, Ceph, R2, ...).
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { Config } from '../config';
import { withExactLength } from './exact-length';
import type { ByteRange, FileStorage, PutMeta, StoredObject } from './types';

export type S3Options = NonNullable<Config['s3']>;

/** S3's smallest part but the last: a body of unknown length is held one part at a time. */
export const S3_PART_BYTES = 5 * 1024 * 1024;

export class S3Storage implements FileStorage {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(options: S3Options) {
    this.bucket = options.bucket;
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle,
      // Without keys in the config, the SDK's default chain (environment, instance role) applies.
      credentials:
        options.accessKeyId && options.secretAccessKey
          ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }
          : undefined,
      // For streamed bodies the SDK's default checksums use aws-chunked uploads with trailers, which
      // several S3-compatible servers store verbatim (framing included) instead of decoding. So
      // against a custom endpoint checksums are sent only where an operation requires them; AWS
      // itself keeps them. Buffer bodies are covered by the signed payload hash either way.
      requestChecksumCalculation: options.endpoint ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED',
    });
  }

  async put(key: string, body: Buffer | Readable, meta: PutMeta): Promise<number> {
    if (meta.size === undefined) {
      return Buffer.isBuffer(body) ? this.putKnownLength(key, body, { ...meta, size: body.length }) : this.putInParts(key, body, meta.contentType);
    }
    return this.putKnownLength(key, body, { ...meta, size: meta.size });
  }

  private async putKnownLength(key: string, body: Buffer | Readable, meta: { contentType: string; size: number }): Promise<number> {
    const checked = withExactLength(body, meta.size);
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: key,
      Body: checked,
      ContentType: meta.contentType,
      ContentLength: meta.size,
    });
    if (Buffer.isBuffer(checked)) {
      await this.client.send(command);
      return meta.size;
    }
    // The SDK pipes a stream into its request and does not watch it for errors: a failing body
    // would be an uncaught exception and a request left waiting. Abort the request instead; the
    // object is then never completed.
    const abort = new AbortController();
    let failure: unknown;
    checked.once('error', (error) => {
      failure = error;
      abort.abort(error);
    });
    try {
      await this.client.send(command, { abortSignal: abort.signal });
    } catch (error) {
      throw failure ?? error;
    }
    return meta.size;
  }

  /**
   * A body of unknown length: one PutObject when it fits in a part, otherwise a multipart upload
   * sent a part at a time (memory stays at about one part). The object exists only once the
   * upload completes; a body that fails aborts the upload, leaving nothing.
   */
  private async putInParts(key: string, body: Readable, contentType: string): Promise<number> {
    const parts = partsOf(body, S3_PART_BYTES);
    const first = await parts.next();
    const firstPart = first.done ? Buffer.alloc(0) : first.value;
    if (firstPart.length < S3_PART_BYTES) {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: firstPart, ContentType: contentType, ContentLength: firstPart.length }));
      return firstPart.length;
    }
    const { UploadId } = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: contentType }));
    const completed: { ETag: string | undefined; PartNumber: number }[] = [];
    let size = 0;
    try {
      for (let part: Buffer | undefined = firstPart; part; ) {
        const PartNumber = completed.length + 1;
        const { ETag } = await this.client.send(
          new UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId, PartNumber, Body: part, ContentLength: part.length }),
        );
        completed.push({ ETag, PartNumber });
        size += part.length;
        const next = await parts.next();
        part = next.done ? undefined : next.value;
      }
      await this.client.send(
        new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId, MultipartUpload: { Parts: completed } }),
      );
      return size;
    } catch (error) {
      await parts.return(undefined);
      // Not every S3-compatible server can abort; an upload never completed holds no object either way.
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId })).catch(() => undefined);
      throw error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<StoredObject | null> {
    let response;
    try {
      response = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
      );
    } catch (error) {
      if (error instanceof NoSuchKey) return null;
      throw error;
    }
    const body = response.Body;
    // In Node the SDK answers with the HTTP response itself, a Readable.
    if (!(body instanceof Readable)) throw new Error(`S3 returned no readable body for ${key}`);
    return {
      body,
      size: totalSize(response.ContentRange) ?? response.ContentLength ?? 0,
      contentType: response.ContentType ?? 'application/octet-stream',
    };
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}

/** The stream cut into buffers of exactly `size` bytes, the last one shorter. */
async function* partsOf(stream: Readable, size: number): AsyncGenerator<Buffer, void, undefined> {
  let held: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    held.push(chunk);
    length += chunk.length;
    while (length >= size) {
      const joined = Buffer.concat(held, length);
      yield joined.subarray(0, size);
      held = [joined.subarray(size)];
      length -= size;
    }
  }
  if (length > 0) yield Buffer.concat(held, length);
}

/** "bytes 0-99/1234" → 1234. */
function totalSize(contentRange: string | undefined): number | undefined {
  const total = contentRange?.match(/\/(\d+)$/)?.[1];
  return total === undefined ? undefined : Number(total);
}
