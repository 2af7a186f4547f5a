// Conversations: private pairs (unique per pair by a database constraint) and groups, with
// membership management, per-user settings, and the list a user sees.
import type { Db } from '../db/open';
import { Prisma } from '../db/generated/client';
import { AppError } from '../errors';
import type { ConversationDto, CreateConversationInput } from '../protocol';
import { conversationInclude, toConversationDto, toMessageDto } from './dto';
import { lastMessageRows } from './message-rows';
import { requireParticipant } from './membership';
import { unreadCountsOfMembers, unreadCountsWithMentions } from './receipts';
import type { NotificationLevel } from './notification-policy';

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

/** The key that makes a private conversation unique per pair, whichever of the two creates it. */
export function privatePairKey(a: string, b: string): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

async function requireActiveUsers(db: Db, userIds: readonly string[]): Promise<void> {
  const found = await db.user.count({ where: { id: { in: [...userIds] }, isActive: true } });
  if (found !== userIds.length) throw new AppError('bad_request', 'participantIds: a user does not exist.');
}

/** The conversation as the viewer sees it; 404 unless the viewer is a participant. */
export async function getConversation(db: Db, conversationId: string, viewerId: string): Promise<ConversationDto> {
  await requireParticipant(db, conversationId, viewerId);
  return loadConversationFor(db, conversationId, viewerId);
}

/** Loads a conversation for a participant (membership already established). */
export async function loadConversationFor(db: Db, conversationId: string, viewerId: string): Promise<ConversationDto> {
  return (await loadConversationViews(db, conversationId, [viewerId])).get(viewerId)!;
}

/**
 * The conversation as each of these participants sees it (their own unread count and settings):
 * the conversation is read once and the unread counts in one query, however many they are.
 */
export async function loadConversationViews(db: Db, conversationId: string, viewerIds: readonly string[]): Promise<Map<string, ConversationDto>> {
  const [row, unread, [last]] = await Promise.all([
    db.conversation.findUnique({ where: { id: conversationId }, include: conversationInclude }),
    unreadCountsOfMembers(db, conversationId, viewerIds),
    lastMessageRows(db, { conversationId }),
  ]);
  if (!row) throw new AppError('not_found', 'Conversation not found.');
  const lastMessage = last ? toMessageDto(last) : null;
  return new Map(
    viewerIds.map((viewerId) => {
      const counts = unread.get(viewerId);
      return [viewerId, toConversationDto(row, viewerId, counts?.messages ?? 0, lastMessage, counts?.mentions ?? 0)];
    }),
  );
}

/** Every conversation of a user, most recent activity first, with unread counts. */
export async function listConversations(db: Db, userId: string): Promise<ConversationDto[]> {
  const [rows, unread, lastMessages] = await Promise.all([
    db.conversation.findMany({
      where: { participants: { some: { userId } } },
      include: conversationInclude,
      orderBy: [{ lastActivityAt: 'desc' }, { id: 'desc' }],
    }),
    unreadCountsWithMentions(db, userId),
    lastMessageRows(db, { userId }),
  ]);
  // By conversation: the two reads are apart, and a message sent between them may have moved lastMessageId.
  const lastOf = new Map(lastMessages.map((row) => [row.conversationId, toMessageDto(row)]));
  return rows.map((row) => {
    const counts = unread.get(row.id);
    return toConversationDto(row, userId, counts?.messages ?? 0, lastOf.get(row.id) ?? null, counts?.mentions ?? 0);
  });
}

export type CreatedConversation = { conversation: ConversationDto; created: boolean };

export async function createConversation(db: Db, creatorId: string, input: CreateConversationInput): Promise<CreatedConversation> {
  return input.type === 'private'
    ? createPrivateConversation(db, creatorId, input.participantIds[0]!)
    : createGroupConversation(db, creatorId, input);
}

async function createPrivateConversation(db: Db, creatorId: string, otherId: string): Promise<CreatedConversation> {
  if (otherId === creatorId) throw new AppError('bad_request', 'participantIds: a private conversation is with someone else.');
  await requireActiveUsers(db, [otherId]);
  const key = privatePairKey(creatorId, otherId);
  const existing = await db.conversation.findUnique({ where: { privatePairKey: key }, select: { id: true } });
  if (existing) return { conversation: await loadConversationFor(db, existing.id, creatorId), created: false };
  try {
    const created = await db.conversation.create({
      data: {
        type: 'private',
        createdById: creatorId,
        privatePairKey: key,
        participants: { create: [{ userId: creatorId }, { userId: otherId }] },
      },
      select: { id: true },
    });
    return { conversation: await loadConversationFor(db, created.id, creatorId), created: true };
  } catch (error) {
    // Both users created it at the same moment: the constraint kept one; return that one.
    if (!isUniqueViolation(error)) throw error;
    const winner = await db.conversation.findUniqueOrThrow({ where: { privatePairKey: key }, select: { id: true } });
    return { conversation: await loadConversationFor(db, winner.id, creatorId), created: false };
  }
}

async function createGroupConversation(db: Db, creatorId: string, input: CreateConversationInput): Promise<CreatedConversation> {
  const others = [...new Set(input.participantIds)].filter((id) => id !== creatorId);
  if (others.length === 0) throw new AppError('bad_request', 'participantIds: a group needs at least one other member.');
  await requireActiveUsers(db, others);
  const created = await db.conversation.create({
    data: {
      type: 'group',
      name: input.name ?? null,
      description: input.description ?? null,
      createdById: creatorId,
      participants: {
        create: [{ userId: creatorId, role: 'admin' }, ...others.map((userId) => ({ userId, role: 'member' as const }))],
      },
    },
    select: { id: true },
  });
  return { conversation: await loadConversationFor(db, created.id, creatorId), created: true };
}

async function requireGroupParticipant(db: Db, conversationId: string, userId: string) {
  const participant = await requireParticipant(db, conversationId, userId);
  if (participant.conversation.type !== 'group') {
    throw new AppError('bad_request', 'A private conversation always has exactly its two people.');
  }
  return participant;
}

/** Admins add members to groups. */
export async function addParticipant(db: Db, actorId: string, conversationId: string, userId: string): Promise<void> {
  const actor = await requireGroupParticipant(db, conversationId, actorId);
  if (actor.role !== 'admin') throw new AppError('forbidden', 'Only admins can add members.');
  const user = await db.user.findUnique({ where: { id: userId }, select: { isActive: true } });
  if (!user?.isActive) throw new AppError('not_found', 'User not found.');
  try {
    await db.$transaction([
      db.participant.create({ data: { conversationId, userId, role: 'member' } }),
      db.conversation.update({ where: { id: conversationId }, data: { lastActivityAt: new Date() } }),
    ]);
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('conflict', 'That user is already a member.');
    throw error;
  }
}

/**
 * Admins remove members; anyone removes themself (leaves). When the last admin goes, the
 * longest-standing remaining member becomes admin. The conversation row is locked meanwhile so
 * two admins leaving at once cannot leave a group with none.
 */
export async function removeParticipant(db: Db, actorId: string, conversationId: string, userId: string): Promise<void> {
  const actor = await requireGroupParticipant(db, conversationId, actorId);
  if (userId !== actorId && actor.role !== 'admin') throw new AppError('forbidden', 'Only admins can remove members.');
  await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Conversation" WHERE id = ${conversationId}::uuid FOR UPDATE`;
    const removed = await tx.participant.deleteMany({ where: { conversationId, userId } });
    if (removed.count === 0) throw new AppError('not_found', 'That user is not a member.');
    const admins = await tx.participant.count({ where: { conversationId, role: 'admin' } });
    if (admins === 0) {
      const successor = await tx.participant.findFirst({ where: { conversationId }, orderBy: [{ joinedAt: 'asc' }, { userId: 'asc' }] });
      if (successor) {
        await tx.participant.update({
          where: { conversationId_userId: { conversationId, userId: successor.userId } },
          data: { role: 'admin' },
        });
      }
    }
  });
}

/** Any member renames a group or changes its description. */
export async function updateConversation(
  db: Db,
  actorId: string,
  conversationId: string,
  changes: { name?: string; description?: string | null },
): Promise<void> {
  await requireGroupParticipant(db, conversationId, actorId);
  await db.conversation.update({
    where: { id: conversationId },
    data: {
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.description !== undefined ? { description: changes.description } : {}),
    },
  });
}

/** Per-user settings: mute until a time (null unmutes) and archive. */
export async function updateSettings(
  db: Db,
  userId: string,
  conversationId: string,
  settings: { mutedUntil?: string | null; archived?: boolean; notificationLevel?: NotificationLevel | null },
): Promise<ConversationDto> {
  await requireParticipant(db, conversationId, userId);
  await db.participant.update({
    where: { conversationId_userId: { conversationId, userId } },
    data: {
      ...(settings.mutedUntil !== undefined ? { mutedUntil: settings.mutedUntil ? new Date(settings.mutedUntil) : null } : {}),
      ...(settings.archived !== undefined ? { archivedAt: settings.archived ? new Date() : null } : {}),
      ...(settings.notificationLevel !== undefined ? { notificationLevel: settings.notificationLevel } : {}),
    },
  });
  return loadConversationFor(db, conversationId, userId);
}
