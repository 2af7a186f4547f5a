// What the custom server does to every request before Next or any route sees it: the security
// headers, then the cheap refusals that must come before any body is read or any credential is
// checked: a declared body over the cap (413), and a write that would use the session cookie
// from another site's page (403).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config';
import { AppError, toErrorBody } from '../errors';
import { bodyTooLarge, declaresTooMuch, hasOwnBodyLimit } from './body-limit';
import { hasBearer, sessionCookieUsable } from './origin';
import { securityHeaders } from './security-headers';

/** Methods that change nothing: a page elsewhere may start them (it cannot read the answer). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type ScreenOptions = { dev: boolean };

/** Sets the response's security headers; answers and returns false when the request is refused. */
export function screenRequest(req: IncomingMessage, res: ServerResponse, config: Config, options: ScreenOptions): boolean {
  const pathname = (req.url ?? '/').split('?')[0]!;
  const headers = securityHeaders(config, req.headers, { dev: options.dev, api: pathname.startsWith('/api/') });
  for (const [name, value] of Object.entries(headers.others)) res.setHeader(name, value);
  res.setHeader('content-security-policy', headers.contentSecurityPolicy);
  // Next renders this request's nonce onto its scripts, reading it from here.
  req.headers['content-security-policy'] = headers.contentSecurityPolicy;

  if (SAFE_METHODS.has(req.method ?? 'GET')) return true;
  if (!hasOwnBodyLimit(pathname) && declaresTooMuch(req.headers, config.jsonBodyMaxBytes)) {
    refuse(res, bodyTooLarge(config.jsonBodyMaxBytes));
    return false;
  }
  if (!sessionCookieUsable(config, req.headers)) {
    if (hasBearer(req.headers)) {
      // The bearer credential alone decides; the cookie the browser added is not used.
      delete req.headers.cookie;
      return true;
    }
    refuse(res, new AppError('forbidden', 'Refused: this request came from a page of another site, so the sign-in cookie is not honoured.'));
    return false;
  }
  return true;
}

/** Answers without reading the body; the connection closes so the rest is never read either. */
function refuse(res: ServerResponse, error: AppError): void {
  res.writeHead(error.status, { 'content-type': 'application/json', connection: 'close' });
  res.end(JSON.stringify({ error: toErrorBody(error) }));
}
