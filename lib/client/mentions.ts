// Mentions on the page: which written `@name`s a message really mentions (the server resolved
// them to member ids when it stored the message), whether one is me, and who the composer's
// picker offers for a query. No React here.
import type { ConversationDto, MessageDto, UserSummary } from '../protocol';
import { EVERYONE_MENTIONS, type EveryoneMention } from '../chat/mention-syntax';

/** What a written mention stands for in one message; null: it is plain text there. */
export type MentionTarget = { kind: 'user'; user: UserSummary; me: boolean } | { kind: 'everyone'; scope: EveryoneMention; me: true };

export type MentionResolver = (name: string) => MentionTarget | null;

/**
 * Resolves the names written in one message: a member's username when the server stored their
 * id with the message, `here`/`all` when the message carries that scope.
 */
export function mentionResolver(
  message: Pick<MessageDto, 'mentionedUserIds' | 'mentionsEveryone'>,
  membersByUsername: ReadonlyMap<string, UserSummary>,
  meId: string,
): MentionResolver {
  const ids = new Set(message.mentionedUserIds);
  return (name) => {
    if (name === 'all' || name === 'here') {
      // @all covers an @here written beside it; each alone only when stored as such.
      const stored = message.mentionsEveryone;
      return stored === 'all' || stored === name ? { kind: 'everyone', scope: name, me: true } : null;
    }
    const user = membersByUsername.get(name);
    return user && ids.has(user.id) ? { kind: 'user', user, me: user.id === meId } : null;
  };
}

export function membersByUsername(conversation: Pick<ConversationDto, 'participants'>): Map<string, UserSummary> {
  return new Map(conversation.participants.map((p) => [p.user.username.toLowerCase(), p.user]));
}

/** One entry of the composer's picker. */
export type MentionOption = { kind: 'user'; user: UserSummary; insert: string } | { kind: 'everyone'; scope: EveryoneMention; insert: string; description: string };

const EVERYONE_DESCRIPTIONS: Record<EveryoneMention, string> = {
  here: 'Notify members who are online',
  all: 'Notify every member',
};

/**
 * The picker's entries for what follows the `@`: members other than me whose username or name
 * starts with it (then those containing it), and @here/@all for a group's admins.
 */
export function mentionOptions(
  conversation: Pick<ConversationDto, 'type' | 'participants'>,
  meId: string,
  query: string,
  limit = 8,
): MentionOption[] {
  const needle = query.toLowerCase();
  const me = conversation.participants.find((p) => p.user.id === meId);
  const rank = (user: UserSummary): number => {
    const username = user.username.toLowerCase();
    const names = user.name.toLowerCase().split(/\s+/);
    if (username.startsWith(needle) || names.some((n) => n.startsWith(needle))) return 0;
    if (username.includes(needle) || user.name.toLowerCase().includes(needle)) return 1;
    return -1;
  };
  const users = conversation.participants
    .map((p) => p.user)
    .filter((user) => user.id !== meId)
    .map((user) => ({ user, rank: rank(user) }))
    .filter((entry) => entry.rank >= 0)
    .sort((a, b) => a.rank - b.rank || a.user.name.localeCompare(b.user.name))
    .map(({ user }): MentionOption => ({ kind: 'user', user, insert: `@${user.username}` }));
  const everyone: MentionOption[] =
    conversation.type === 'group' && me?.role === 'admin'
      ? EVERYONE_MENTIONS.filter((scope) => scope.startsWith(needle)).map((scope) => ({
          kind: 'everyone',
          scope,
          insert: `@${scope}`,
          description: EVERYONE_DESCRIPTIONS[scope],
        }))
      : [];
  return [...users, ...everyone].slice(0, limit);
}

// An `@` starting a mention (as lib/chat/mention-syntax.ts reads one), and what is typed after it.
const TYPING_MENTION = /(^|[^\p{L}\p{N}_@.+\-/\\])@([A-Za-z0-9_]{0,32})$/u;

/** The mention being typed just before the caret: where its `@` is and the query after it. */
export function mentionAtCaret(text: string, caret: number): { start: number; query: string } | null {
  const match = TYPING_MENTION.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: match.index + match[1]!.length, query: match[2]! };
}

/** The text with the typed mention replaced by the chosen one and a space; the caret after it. */
export function insertMention(text: string, at: { start: number; query: string }, insert: string): { text: string; caret: number } {
  const end = at.start + 1 + at.query.length;
  const after = text.slice(end);
  const spaced = after.startsWith(' ') ? insert : `${insert} `;
  return { text: text.slice(0, at.start) + spaced + after, caret: at.start + insert.length + 1 };
}
