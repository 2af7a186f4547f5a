// Attachments in an S3 bucket, on AWS or any S3-compatible server (MinIO, Ceph, R2, ...).
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Config } from '../config';
import { withExactLength } from './exact-length';
import { s3UploadOrigin } from './s3-origin';
import type { ByteRange, DirectUploads, FileStorage, ObjectHead, PresignedPut, PutMeta, StoredObject } from './types';

export type S3Options = NonNullable<Config['s3']>;

/** S3's smallest part but the last: a body of unknown length is held one part at a time. */
export const S3_PART_BYTES = 5 * 1024 * 1024;

/** A missing key: NoSuchKey for GET, a bare 404 for HEAD (by name and status, not class: see lib/errors.ts). */
function isMissingObject(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

export class S3Storage implements FileStorage {
  private readonly client: S3Client;
  private readonly bucket: string;
  /** Presigned uploads: see DirectUploads. */
  readonly directUploads: DirectUploads;

  constructor(options: S3Options) {
    this.bucket = options.bucket;
    // Without keys in the config, the SDK's default chain (environment, instance role) applies.
    const credentials =
      options.accessKeyId && options.secretAccessKey ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } : undefined;
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle,
      credentials,
      // For streamed bodies the SDK's default checksums use aws-chunked uploads with trailers, which
      // several S3-compatible servers store verbatim (framing included) instead of decoding. So
      // against a custom endpoint checksums are sent only where an operation requires them; AWS
      // itself keeps them. Buffer bodies are covered by the signed payload hash either way.
      requestChecksumCalculation: options.endpoint ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED',
      // A ranged GET (the magic-number check) cannot be validated against a whole object's checksum.
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    // URLs for browsers name the public endpoint, and carry no checksum of a body the SDK never
    // sees (it would sign the checksum of an empty body, and the browser's PUT would fail it).
    const presigner = new S3Client({
      region: options.region,
      endpoint: options.publicEndpoint ?? options.endpoint,
      forcePathStyle: options.forcePathStyle,
      credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    const expiresIn = options.presignExpiresSec;
    this.directUploads = {
      uploadOrigin: s3UploadOrigin(options),
      presignPut: async (key, meta): Promise<PresignedPut> => {
        const command = new PutObjectCommand({ Bucket: this.bucket, Key: key, ContentType: meta.contentType, ContentLength: meta.size });
        // Type and length are signed headers: S3 refuses a PUT whose headers differ from them.
        const url = await getSignedUrl(presigner, command, { expiresIn, signableHeaders: new Set(['content-type', 'content-length']) });
        return { url, headers: { 'content-type': meta.contentType }, expiresAt: new Date(Date.now() + expiresIn * 1000) };
      },
      head: async (key): Promise<ObjectHead | null> => {
        try {
          const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
          return { size: head.ContentLength ?? 0, contentType: head.ContentType ?? 'application/octet-stream' };
        } catch (error) {
          if (isMissingObject(error)) return null;
          throw error;
        }
      },
    };
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
      if (isMissingObject(error)) return null;
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
