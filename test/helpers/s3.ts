// A real S3-protocol server on loopback (s3rver, backed by a temp directory) with one bucket, and
// the environment that points the app at it. s3rver knows one account, S3RVER / S3RVER; it
// refuses other access key ids, but does not check SigV4 signatures.
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

type S3rverInstance = { run(): Promise<AddressInfo>; close(): Promise<void> };
type S3rverClass = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string; configs?: (string | Buffer)[] }[];
}) => S3rverInstance;

// s3rver ships no typings; the slice used here is typed above.
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;

export const S3_TEST_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** A client of the test server, as the app's S3 storage is configured (path-style). */
export function testS3Client(s3: Pick<TestS3, 'endpoint'>): S3Client {
  return new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: S3_TEST_CREDENTIALS });
}

/** Whether the bucket holds the key (a HEAD: 404 is no, anything else unexpected throws). */
export async function objectExists(client: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw error;
  }
}

export type TestS3 = {
  endpoint: string;
  bucket: string;
  /** The app's S3_* settings for this server. */
  env: Record<string, string>;
  close(): Promise<void>;
};

/**
 * The bucket CORS rule presigned uploads need (README: "Files on S3"): the app's pages may PUT
 * with a Content-Type header. Any origin here, since a test's port is not known up front.
 */
export const UPLOAD_CORS_XML = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedHeader>content-type</AllowedHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

export async function startS3Server(bucket = 'parley-test', options: { port?: number } = {}): Promise<TestS3> {
  const directory = await mkdtemp(path.join(tmpdir(), 'chat-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [UPLOAD_CORS_XML] }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    env: {
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: S3_TEST_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: S3_TEST_CREDENTIALS.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
    },
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
