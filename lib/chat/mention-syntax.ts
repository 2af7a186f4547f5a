// How a mention is written in message text: `@username` (the username's own characters, 3-32 of
// a-z, 0-9 and _, any case), `@here` and `@all`. Pure, shared by the server (which resolves names
// to members when a message is stored) and the browser (which highlights them). An `@` glued to a
// word or address before it (`me@example.com`) is not a mention.

export const EVERYONE_MENTIONS = ['here', 'all'] as const;
export type EveryoneMention = (typeof EVERYONE_MENTIONS)[number];

// Before the `@`: the start, or a character that is neither part of a word nor of an address.
const MENTION = /(^|[^\p{L}\p{N}_@.+\-/\\])@([A-Za-z0-9_]{3,32})(?![\p{L}\p{N}_])/gu;

export type TextSegment = { kind: 'text'; text: string } | { kind: 'mention'; text: string; name: string };

/** The text cut into plain runs and mentions (`name` lower-cased, without the `@`). */
export function splitMentions(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(MENTION)) {
    const start = match.index + match[1]!.length;
    if (start > last) segments.push({ kind: 'text', text: text.slice(last, start) });
    const written = match[0].slice(match[1]!.length);
    segments.push({ kind: 'mention', text: written, name: match[2]!.toLowerCase() });
    last = start + written.length;
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) });
  return segments;
}

export type WrittenMentions = {
  /** Usernames named, lower-cased, each once, `here` and `all` left out. */
  usernames: string[];
  /** `@all` outweighs `@here` when both are written. */
  everyone: EveryoneMention | null;
};

/** What a message's text mentions, before anyone checks who those names are. */
export function parseMentions(text: string): WrittenMentions {
  const usernames = new Set<string>();
  let everyone: EveryoneMention | null = null;
  for (const segment of splitMentions(text)) {
    if (segment.kind !== 'mention') continue;
    if (segment.name === 'all') everyone = 'all';
    else if (segment.name === 'here') everyone ??= 'here';
    else usernames.add(segment.name);
  }
  return { usernames: [...usernames], everyone };
}

/** Whether the text could mention anyone at all (a cheap test before parsing). */
export const mayMention = (text: string): boolean => text.includes('@');
