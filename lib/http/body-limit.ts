// Request bodies are bounded before anything is parsed or authenticated: a declared length over
// the cap is refused without reading a byte, and a body without one is cut off at the cap while
// it streams. Uploads (multipart to /api/uploads) have their own, larger cap.
import { AppError } from '../errors';

export const DEFAULT_JSON_BODY_MAX_BYTES = 64 * 1024;

/** The routes that take file uploads and count their bodies themselves. */
export function hasOwnBodyLimit(pathname: string): boolean {
  return pathname === '/api/uploads' || pathname === '/api/me/avatar';
}

/** Whether a request already says its body is longer than `maxBytes`. */
export function declaresTooMuch(headers: Record<string, string | string[] | undefined>, maxBytes: number): boolean {
  const length = Number(headers['content-length']);
  return Number.isFinite(length) && length > maxBytes;
}

export function bodyTooLarge(maxBytes: number): AppError {
  return new AppError('payload_too_large', `The request body is larger than ${maxBytes} bytes.`);
}

/** The media type alone, lower case: "Application/JSON; charset=utf-8" → "application/json". */
export function mediaType(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * A JSON body must say so: a page elsewhere can post text/plain, form or multipart bodies across
 * origins without asking, but never application/json.
 */
export function requireJsonContentType(contentType: string | null): void {
  if (mediaType(contentType) !== 'application/json') {
    throw new AppError('unsupported_media_type', 'Send the body as JSON with the header content-type: application/json.');
  }
}

/** The body as text, read while counting: past `maxBytes` the rest is not read (413). */
export async function readBodyText(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<string> {
  return (await readBodyBytes(body, maxBytes)).toString('utf8');
}

/** The body's bytes, read while counting: past `maxBytes` the rest is not read (413). */
export async function readBodyBytes(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw bodyTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
