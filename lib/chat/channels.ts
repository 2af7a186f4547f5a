// Public channels: groups anyone on the server can find (the channel browser: name, description,
// member count, searchable) and join, with the whole history. Their names are unique per server,
// case-insensitive (`Conversation.channelNameKey`, a unique index). Private groups are invitation
// only: never listed, and a non-member cannot tell one exists.
import type { Db } from '../db/open';
import { Prisma } from '../db/generated/client';
import { AppError } from '../errors';
import type { ChannelDto, ChannelPage, MessageDto } from '../protocol';
import { admitMember, lockConversation, noteDto } from './conversations';
import type { DbOrTx } from './timeline';

/** What makes two channel names the same: case (and surrounding space) aside. */
export function channelNameKeyFor(name: string): string {
  return name.trim().toLocaleLowerCase('en-US');
}

export async function isChannelNameTaken(db: DbOrTx, key: string, exceptConversationId?: string): Promise<boolean> {
  const found = await db.conversation.findUnique({ where: { channelNameKey: key }, select: { id: true } });
  return found !== null && found.id !== exceptConversationId;
}

/** `%` and `_` match themselves in a search, not anything. */
const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Public channels by name (a name or description containing `q`, any case), in name order, a
 * page at a time (`cursor`: the last id of the previous page). Private groups never appear.
 */
export async function browseChannels(db: Db, userId: string, query: { q: string; cursor?: string; limit: number }): Promise<ChannelPage> {
  const pattern = `%${likeEscaped(query.q.toLocaleLowerCase('en-US'))}%`;
  const after = query.cursor
    ? await db.conversation.findFirst({ where: { id: query.cursor, privacy: 'public', type: 'group' }, select: { channelNameKey: true } })
    : null;
  const afterClause = after?.channelNameKey ? Prisma.sql`AND (c."channelNameKey", c.id) > (${after.channelNameKey}, ${query.cursor}::uuid)` : Prisma.empty;
  const rows = await db.$queryRaw<
    { id: string; name: string; description: string | null; memberCount: bigint | number; joined: boolean; lastActivityAt: Date }[]
  >`
    SELECT c.id::text AS id, c.name, c.description, c."lastActivityAt",
           (SELECT count(*) FROM "Participant" p WHERE p."conversationId" = c.id) AS "memberCount",
           EXISTS (SELECT 1 FROM "Participant" p WHERE p."conversationId" = c.id AND p."userId" = ${userId}::uuid) AS joined
    FROM "Conversation" c
    WHERE c.type = 'group' AND c.privacy = 'public' AND c."channelNameKey" IS NOT NULL
      AND (c."channelNameKey" LIKE ${pattern} OR lower(coalesce(c.description, '')) LIKE ${pattern})
      ${afterClause}
    ORDER BY c."channelNameKey", c.id
    LIMIT ${query.limit + 1}`;
  const page = rows.slice(0, query.limit);
  const channels: ChannelDto[] = page.map((row) => ({
    id: row.id,
    name: row.name,
    description: row.description,
    memberCount: Number(row.memberCount),
    joined: row.joined,
    lastActivityAt: row.lastActivityAt.toISOString(),
  }));
  return { channels, nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null };
}

/**
 * Anyone joins a public channel (and sees its whole history). A private group, or no group at
 * all, is "not found" alike. Returns the timeline note of the join.
 */
export async function joinChannel(db: Db, userId: string, conversationId: string): Promise<MessageDto> {
  const noteId = await db.$transaction(async (tx) => {
    await lockConversation(tx, conversationId);
    const channel = await tx.conversation.findUnique({ where: { id: conversationId }, select: { type: true, privacy: true } });
    if (!channel || channel.type !== 'group' || channel.privacy !== 'public') throw new AppError('not_found', 'Conversation not found.');
    return (await admitMember(tx, conversationId, userId, { event: 'member_joined', actorId: userId, via: 'browse' })).noteId;
  });
  return noteDto(db, noteId);
}
