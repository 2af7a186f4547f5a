// The page's Content-Security-Policy lets the browser PUT presigned uploads to the bucket's one
// origin when S3 is configured, and nowhere else; previews of pictures and recordings are blob:.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@/lib/config';
import { securityHeaders } from '@/lib/http/security-headers';

const base = { AUTH_SECRET: 'x'.repeat(32), NEXTAUTH_URL: 'https://chat.example.com' };
const directive = (policy: string, name: string) => policy.split('; ').find((d) => d.startsWith(`${name} `))!.split(' ').slice(1);
const pagePolicy = (env: Record<string, string>) => securityHeaders(loadConfig({ ...base, ...env }), {}, { dev: false, api: false }).contentSecurityPolicy;

describe('CSP for uploads', () => {
  it('on local disk: connect-src is ours alone; blob: previews for images and media', () => {
    const policy = pagePolicy({});
    expect(directive(policy, 'connect-src')).toEqual(["'self'", 'wss://chat.example.com']);
    expect(directive(policy, 'img-src')).toContain('blob:');
    expect(directive(policy, 'media-src')).toContain('blob:');
  });

  it('with an S3 endpoint (path-style): that origin, or the public one browsers use', () => {
    expect(directive(pagePolicy({ S3_BUCKET: 'files', S3_ENDPOINT: 'http://minio:9000' }), 'connect-src')).toEqual(["'self'", 'wss://chat.example.com', 'http://minio:9000']);
    const policy = pagePolicy({ S3_BUCKET: 'files', S3_ENDPOINT: 'http://minio:9000', S3_PUBLIC_ENDPOINT: 'https://s3.example.com/' });
    expect(directive(policy, 'connect-src')).toEqual(["'self'", 'wss://chat.example.com', 'https://s3.example.com']);
  });

  it("on AWS (virtual-hosted): the bucket's own host in its region, never a wildcard", () => {
    const policy = pagePolicy({ S3_BUCKET: 'team-files', S3_REGION: 'eu-west-1' });
    expect(directive(policy, 'connect-src')).toEqual(["'self'", 'wss://chat.example.com', 'https://team-files.s3.eu-west-1.amazonaws.com']);
    expect(policy).not.toContain('*');
  });

  it('API answers stay locked down whatever the storage', () => {
    const api = securityHeaders(loadConfig({ ...base, S3_BUCKET: 'files' }), {}, { dev: false, api: true }).contentSecurityPolicy;
    expect(api).toBe("default-src 'none'; frame-ancestors 'none'; sandbox");
  });
});
