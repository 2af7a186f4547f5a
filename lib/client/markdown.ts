// The safe Markdown subset messages are written in, as options for react-markdown: what it may
// produce, how links are made safe, and the remark plugin that links bare addresses. Markdown is
// parsed to an element tree and drawn by React: HTML typed in a message stays text (there is no
// rehype-raw to interpret it), and nothing is ever set as inner HTML.
import type { Link, Parent, Root, RootContent, Text } from 'mdast';
import { linkify, safeHref } from './linkify';

/** Elements a message may produce; anything else (headings, tables, images…) is unwrapped to its text. */
export const MARKDOWN_ELEMENTS = ['p', 'br', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a'] as const;

/** Web and mail addresses only; anything else (javascript:, data:, relative paths) links nowhere. */
export function markdownUrl(url: string): string {
  return safeHref(url) ?? '';
}

/**
 * Links what linkify finds in plain text (bare domains, e-mail addresses) — the same rules as
 * before Markdown, so "example.com/guide" still links. Text inside links and code is left alone.
 */
export function remarkLinkify() {
  return (tree: Root) => linkifyChildren(tree);
}

function linkifyChildren(node: Parent): void {
  const children: RootContent[] = [];
  for (const child of node.children as RootContent[]) {
    if (child.type === 'text') children.push(...linkedText(child));
    else {
      if (child.type !== 'link' && child.type !== 'linkReference' && 'children' in child) linkifyChildren(child);
      children.push(child);
    }
  }
  node.children = children as Parent['children'];
}

function linkedText(node: Text): (Text | Link)[] {
  const segments = linkify(node.value);
  if (segments.length === 1 && segments[0]!.kind === 'text') return [node];
  return segments.map((segment) =>
    segment.kind === 'text'
      ? { type: 'text', value: segment.text }
      : { type: 'link', url: segment.href, children: [{ type: 'text', value: segment.text }] },
  );
}
