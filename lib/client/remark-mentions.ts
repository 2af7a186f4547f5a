// Mentions in Markdown messages: a remark plugin that marks every written `@name`
// (lib/chat/mention-syntax.ts) in plain text as a `mark` element carrying the name, for
// MessageText's mention renderer to resolve against the message's stored mentions. Text inside
// links and code is left alone (an `@` in a code sample is no mention).
import type { Parent, Root, RootContent, Text } from 'mdast';
import { splitMentions } from '../chat/mention-syntax';

/** The element a mention becomes, and the property that names who (lower-cased, without `@`). */
export const MENTION_ELEMENT = 'mark';
export const MENTION_PROPERTY = 'dataMention';

export function remarkMentions() {
  return (tree: Root) => markChildren(tree);
}

function markChildren(node: Parent): void {
  const children: RootContent[] = [];
  for (const child of node.children as RootContent[]) {
    if (child.type === 'text') children.push(...markedText(child));
    else {
      if (child.type !== 'link' && child.type !== 'linkReference' && child.type !== 'inlineCode' && child.type !== 'code' && 'children' in child) markChildren(child);
      children.push(child);
    }
  }
  node.children = children as Parent['children'];
}

function markedText(node: Text): Text[] {
  if (!node.value.includes('@')) return [node];
  const segments = splitMentions(node.value);
  if (segments.length === 1 && segments[0]!.kind === 'text') return [node];
  return segments.map((segment) =>
    segment.kind === 'text'
      ? { type: 'text', value: segment.text }
      : // mdast-util-to-hast turns a node with hName into that element around its text.
        { type: 'text', value: segment.text, data: { hName: MENTION_ELEMENT, hProperties: { [MENTION_PROPERTY]: segment.name } } },
  );
}
