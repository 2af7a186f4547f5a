// HTTP details of serving a file: the Content-Disposition header and a single byte range.
import type { ByteRange } from '@/lib/storage';

/**
 * `inline` or `attachment` with the name twice (RFC 6266): an ASCII fallback, and the exact
 * name percent-encoded as UTF-8 (RFC 5987), which every current browser prefers.
 */
export function contentDisposition(type: 'inline' | 'attachment', fileName: string): string {
  // `%` too: some browsers percent-decode the plain form.
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * The one range of a `Range: bytes=…` header within an object of `size` bytes (RFC 9110 §14).
 * null means send the whole object: no header, a form we do not serve (several ranges, other
 * units) or an invalid one, all of which a server may ignore. 'unsatisfiable' is a range that
 * starts past the end (416).
 */
export function parseRange(header: string | null, size: number): ByteRange | null | 'unsatisfiable' {
  const match = header?.trim().match(/^bytes=(\d*)-(\d*)$/);
  if (!match) return null;
  const [, first = '', last = ''] = match;
  if (first === '') {
    if (last === '') return null;
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return null;
  return { start, end };
}
