// The origin browsers reach the bucket at, for presigned uploads and the page's CSP (connect-src).
// Apart from ./s3.ts so the security headers need not load the S3 SDK.
import type { Config } from '../config';

/** The origin a presigned URL points at: the bucket's host, or the endpoint's with path-style addressing. */
export function s3UploadOrigin(options: NonNullable<Config['s3']>): string {
  const endpoint = new URL(options.publicEndpoint ?? options.endpoint ?? `https://s3.${options.region}.amazonaws.com`);
  if (!options.forcePathStyle) endpoint.hostname = `${options.bucket}.${endpoint.hostname}`;
  return endpoint.origin;
}
