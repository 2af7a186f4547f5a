// Attachments in an S3 bucket, on AWS or any S3-compatible server (MinIO, Ceph, R2, ...).
import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config';
import { withExactLength } from './exact-length';
import type { ByteRange, FileStorage, StoredObject } from './types';

export type S3Options = NonNullable<Config['s3']>;

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

  async put(key: string, body: Buffer | Readable, meta: { contentType: string; size: number }): Promise<void> {
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
      return;
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

/** "bytes 0-99/1234" → 1234. */
function totalSize(contentRange: string | undefined): number | undefined {
  const total = contentRange?.match(/\/(\d+)$/)?.[1];
  return total === undefined ? undefined : Number(total);
}
