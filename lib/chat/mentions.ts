// Who a message mentions, as stored: the names written in it (./mention-syntax.ts) resolved to
// the conversation's members when the message is stored or edited. A name that is not a member
// (someone else, a typo, a former member) stays plain text and notifies nobody: a message is
// never refused for it, as Slack and Matrix do. `@here` and `@all` reach every member, so in a
// group only its admins may write them; anyone else is refused (`forbidden`) with a message that
// says so. In a one-to-one conversation the other person hears every message anyway: there they
// are plain text.
import type { Db } from '../db/open';
import { AppError } from '../errors';
import { mayMention, parseMentions, type EveryoneMention } from './mention-syntax';

export type ResolvedMentions = { mentionedUserIds: string[]; mentionsEveryone: EveryoneMention | null };

export const NO_MENTIONS: ResolvedMentions = Object.freeze({ mentionedUserIds: [], mentionsEveryone: null }) as ResolvedMentions;

export const EVERYONE_REFUSED_MESSAGE = 'Only group admins can mention @here or @all.';

/** One message to resolve: who sends what where. */
export type MentionSource = { conversationId: string; senderId: string; content: string };

/**
 * The mentions of each message, in order; `refused` where the sender wrote @here/@all without
 * being an admin of the group. A sender who is not a member gets no mentions here (storing the
 * message refuses them anyway). One query for all of them, none when no text has an `@`.
 */
export async function resolveMentions(db: Db, sources: readonly MentionSource[]): Promise<(ResolvedMentions | 'refused')[]> {
  const written = sources.map((source) => (mayMention(source.content) ? parseMentions(source.content) : null));
  const asked = sources.filter((_, i) => written[i] && (written[i]!.usernames.length > 0 || written[i]!.everyone));
  if (asked.length === 0) return sources.map(() => NO_MENTIONS);

  const conversationIds = [...new Set(asked.map((s) => s.conversationId))];
  const usernames = [...new Set(written.flatMap((w) => w?.usernames ?? []))];
  const senderIds = [...new Set(asked.map((s) => s.senderId))];
  const rows = await db.$queryRaw<{ conversationId: string; userId: string; username: string; role: string; type: string }[]>`
    SELECT p."conversationId"::text AS "conversationId", p."userId"::text AS "userId", u.username,
           p.role::text AS role, c.type::text AS type
    FROM "Participant" p
    JOIN "User" u ON u.id = p."userId"
    JOIN "Conversation" c ON c.id = p."conversationId"
    WHERE p."conversationId" = ANY(${conversationIds}::uuid[])
      AND (u.username = ANY(${usernames}::text[]) OR p."userId" = ANY(${senderIds}::uuid[]))`;

  const memberByName = new Map(rows.map((row) => [`${row.conversationId} ${row.username}`, row]));
  const memberById = new Map(rows.map((row) => [`${row.conversationId} ${row.userId}`, row]));

  return sources.map((source, i) => {
    const mentions = written[i];
    if (!mentions) return NO_MENTIONS;
    const sender = memberById.get(`${source.conversationId} ${source.senderId}`);
    if (!sender) return NO_MENTIONS;
    const mentionedUserIds = mentions.usernames.flatMap((name) => memberByName.get(`${source.conversationId} ${name}`)?.userId ?? []);
    let mentionsEveryone = sender.type === 'group' ? mentions.everyone : null;
    if (mentionsEveryone && sender.role !== 'admin') return 'refused';
    if (mentionedUserIds.length === 0 && !mentionsEveryone) return NO_MENTIONS;
    mentionsEveryone ??= null;
    return { mentionedUserIds, mentionsEveryone };
  });
}

/** The mentions of one message; throws `forbidden` when @here/@all is not the sender's to write. */
export async function resolveMentionsOf(db: Db, source: MentionSource): Promise<ResolvedMentions> {
  const [resolved] = await resolveMentions(db, [source]);
  if (resolved === 'refused') throw new AppError('forbidden', EVERYONE_REFUSED_MESSAGE);
  return resolved ?? NO_MENTIONS;
}
