// The headers every response carries: a Content-Security-Policy whose scripts need this request's
// nonce, no framing by other origins, no MIME sniffing, a referrer kept to our origin elsewhere,
// and HSTS when the public origin is https.
//
// The custom server sets them before Next sees the request. Next reads the nonce from the
// request's own Content-Security-Policy header and puts it on every script it renders, so pages
// need no proxy.ts (which would sit at the project's top level) and no code of their own.
import { randomBytes } from 'node:crypto';
import type { Config } from '../config';
import { s3UploadOrigin } from '../storage/s3-origin';

type Headers = Record<string, string | string[] | undefined>;

export type SecurityHeaders = { contentSecurityPolicy: string; others: Record<string, string> };

/** The origin scripts may connect to: ours, over http(s) and ws(s). */
function ownHost(config: Pick<Config, 'publicUrl'>, headers: Headers): { host: string; secure: boolean } | null {
  if (config.publicUrl) {
    const url = new URL(config.publicUrl);
    return { host: url.host, secure: url.protocol === 'https:' };
  }
  const host = headers.host;
  return typeof host === 'string' && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? { host, secure: false } : null;
}

export function contentSecurityPolicy(
  nonce: string,
  options: { dev: boolean; socket: { host: string; secure: boolean } | null; uploadOrigin?: string | null },
): string {
  const { socket } = options;
  const sockets = socket ? (socket.secure ? [`wss://${socket.host}`] : [`ws://${socket.host}`, `wss://${socket.host}`]) : [];
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    // 'strict-dynamic': scripts loaded by a nonced script (Next's chunks) run too; 'self' is
    // only for browsers that predate it. Development builds evaluate code for fast refresh.
    'script-src': ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(options.dev ? ["'unsafe-eval'"] : [])],
    // The service worker (public/sw.js): 'strict-dynamic' above would refuse it, as it ignores 'self'.
    'worker-src': ["'self'"],
    // React renders style attributes (positions, sizes) into the page: they need 'unsafe-inline'.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'blob:', 'data:'],
    'media-src': ["'self'", 'blob:'],
    'font-src': ["'self'", 'data:'],
    // With S3, browsers PUT files straight to the bucket (presigned uploads): that one origin too.
    'connect-src': ["'self'", ...sockets, ...(options.uploadOrigin ? [options.uploadOrigin] : [])],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'self'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/**
 * For API answers (JSON, attachment bytes), which are never pages: nothing may load or run, and
 * a file opened on its own gets a unique origin. Routes cannot loosen it (Next keeps a header the
 * server has already set), so it is the strictest.
 */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox";

export function securityHeaders(config: Pick<Config, 'publicUrl' | 's3'>, headers: Headers, options: { dev: boolean; api: boolean }): SecurityHeaders {
  const { dev } = options;
  const nonce = randomBytes(16).toString('base64');
  const socket = ownHost(config, headers);
  const uploadOrigin = config.s3 ? s3UploadOrigin(config.s3) : null;
  const others: Record<string, string> = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    // For browsers that know frame-ancestors this changes nothing; older ones read this.
    'x-frame-options': 'SAMEORIGIN',
  };
  if (config.publicUrl?.startsWith('https://')) others['strict-transport-security'] = 'max-age=31536000';
  return { contentSecurityPolicy: options.api ? API_CONTENT_SECURITY_POLICY : contentSecurityPolicy(nonce, { dev, socket, uploadOrigin }), others };
}
