// Splits message text into plain text and links, so links render as anchors while everything
// else stays text (React escapes it; no HTML from a message is ever interpreted). Detection is
// linkifyjs: one linear pass that knows the real top-level domains, so it also finds bare domains
// ("example.com/path") and e-mail addresses, and leaves trailing punctuation out of a link.
import { find } from 'linkifyjs';

export type TextSegment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The href to put on the anchor, or null for anything but web and mail addresses. */
export function safeHref(raw: string): string | null {
  try {
    const url = new URL(raw);
    return SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

export function linkify(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let last = 0;
  for (const found of find(text, { defaultProtocol: 'https' })) {
    const href = found.isLink ? safeHref(found.href) : null;
    if (!href) continue;
    if (found.start > last) segments.push({ kind: 'text', text: text.slice(last, found.start) });
    segments.push({ kind: 'link', text: found.value, href });
    last = found.end;
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) });
  return segments;
}
