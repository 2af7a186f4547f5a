// Conversations: private pairs (unique per pair by a database constraint) and groups, with
// membership management, per-user settings, and the list a user sees.
import type { Db } from '../db/open';
import { Prisma } from '../db/generated/client';
import { AppError } from '../errors';
import type { ConversationDto, CreateConversationInput, MessageDto } from '../protocol';
import { conversationInclude, toConversationDto, toMessageDto, userSummarySelect, type ConversationRow } from './dto';
import { lastMessageRows, messageRowById, pageRows } from './message-rows';
import { requireParticipant } from './membership';
import { unreadCountsOfMembers, unreadCountsWithMentions } from './receipts';
import { channelNameKeyFor, isChannelNameTaken } from './channels';
import { writeNote, type DbOrTx, type NoteEvent } from './timeline';
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

/**
 * The conversation as the viewer sees it: a participant's view, or a removed member's read-only
 * one (`left`); 404 for everyone else.
 */
export async function getConversation(db: Db, conversationId: string, viewerId: string): Promise<ConversationDto> {
  const member = await db.participant.findUnique({ where: { conversationId_userId: { conversationId, userId: viewerId } }, select: { userId: true } });
  if (member) return loadConversationFor(db, conversationId, viewerId);
  const left = await loadLeftView(db, conversationId, viewerId);
  if (!left) throw new AppError('not_found', 'Conversation not found.');
  return left;
}

const formerListedSelect = {
  conversationId: true,
  leftAt: true,
  leftSeq: true,
  nameAtLeave: true,
  descriptionAtLeave: true,
  removedBy: { select: userSummarySelect },
} as const;

/**
 * A removed member's read-only view of a conversation still in their list (null otherwise): as it
 * was when they left — the members of that time, the last message their removal's note, nothing
 * unread, no one's reading progress after it.
 */
export async function loadLeftView(db: Db, conversationId: string, userId: string): Promise<ConversationDto | null> {
  const former = await db.formerMember.findUnique({
    where: { conversationId_userId: { conversationId, userId }, listed: true },
    select: formerListedSelect,
  });
  if (!former) return null;
  const [row, [note]] = await Promise.all([
    db.conversation.findUnique({ where: { id: conversationId }, include: conversationInclude }),
    pageRows(db, conversationId, 1, { beforeSeq: Number(former.leftSeq) + 1 }),
  ]);
  if (!row) return null;
  return leftViewOf(row, userId, former, note ? toMessageDto(note) : null);
}

function leftViewOf(
  row: ConversationRow,
  userId: string,
  former: {
    leftAt: Date;
    leftSeq: bigint;
    nameAtLeave: string | null;
    descriptionAtLeave: string | null;
    removedBy: { id: string; username: string; name: string; avatarUrl: string | null } | null;
  },
  lastMessage: MessageDto | null,
): ConversationDto {
  const atTheTime: ConversationRow = {
    ...row,
    // What it was called then: a rename after they left is not theirs to see.
    name: former.nameAtLeave,
    description: former.descriptionAtLeave,
    lastActivityAt: former.leftAt,
    participants: row.participants.filter((p) => p.joinedAt <= former.leftAt),
    formerMembers: row.formerMembers.filter((f) => f.leftAt <= former.leftAt && f.userId !== userId),
  };
  return toConversationDto(atTheTime, userId, 0, lastMessage, 0, { at: former.leftAt, seq: former.leftSeq, removedBy: former.removedBy });
}

/** The read-only views of every conversation a user was removed from and still lists. */
async function listLeftViews(db: Db, userId: string): Promise<ConversationDto[]> {
  const formers = await db.formerMember.findMany({ where: { userId, listed: true }, select: formerListedSelect });
  if (formers.length === 0) return [];
  const rows = await db.conversation.findMany({ where: { id: { in: formers.map((f) => f.conversationId) } }, include: conversationInclude });
  const byId = new Map(rows.map((row) => [row.id, row]));
  const views = await Promise.all(
    formers.map(async (former) => {
      const row = byId.get(former.conversationId);
      if (!row) return null;
      const [note] = await pageRows(db, former.conversationId, 1, { beforeSeq: Number(former.leftSeq) + 1 });
      return leftViewOf(row, userId, former, note ? toMessageDto(note) : null);
    }),
  );
  return views.filter((view): view is ConversationDto => view !== null);
}

/** Removed members delete a conversation from their list (the server forgets their view of it). */
export async function forgetLeftConversation(db: Db, userId: string, conversationId: string): Promise<void> {
  const { count } = await db.formerMember.updateMany({ where: { conversationId, userId, listed: true }, data: { listed: false } });
  if (count > 0) return;
  // A member is told to leave first; anyone else hears it does not exist.
  await requireParticipant(db, conversationId, userId);
  throw new AppError('conflict', 'Leave the conversation before deleting it from your list.');
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

/**
 * Every conversation of a user, most recent activity first, with unread counts; with
 * `includeLeft`, also the read-only views of those they were removed from and still list.
 */
export async function listConversations(db: Db, userId: string, options: { includeLeft?: boolean } = {}): Promise<ConversationDto[]> {
  const [member, left] = await Promise.all([listMemberConversations(db, userId), options.includeLeft ? listLeftViews(db, userId) : []]);
  if (left.length === 0) return member;
  return [...member, ...left].sort((a, b) => (a.lastActivityAt === b.lastActivityAt ? (a.id < b.id ? 1 : -1) : a.lastActivityAt < b.lastActivityAt ? 1 : -1));
}

/** The read-only views a user still lists (for catch-up). */
export function listLeftConversations(db: Db, userId: string): Promise<ConversationDto[]> {
  return listLeftViews(db, userId);
}

async function listMemberConversations(db: Db, userId: string): Promise<ConversationDto[]> {
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
  const isPublic = input.privacy === 'public';
  // A public channel can start with its creator alone: others find it and join.
  if (others.length === 0 && !isPublic) throw new AppError('bad_request', 'participantIds: a group needs at least one other member.');
  if (isPublic && !input.name) throw new AppError('bad_request', 'name: a public channel needs a name.');
  await requireActiveUsers(db, others);
  const channelNameKey = isPublic ? channelNameKeyFor(input.name!) : null;
  if (channelNameKey && (await isChannelNameTaken(db, channelNameKey))) throw channelNameTaken();
  const created = await db.conversation
    .create({
    data: {
      type: 'group',
      name: input.name ?? null,
      description: input.description ?? null,
      privacy: isPublic ? 'public' : 'private',
      channelNameKey,
      createdById: creatorId,
      participants: {
        create: [{ userId: creatorId, role: 'admin' }, ...others.map((userId) => ({ userId, role: 'member' as const }))],
      },
    },
    select: { id: true },
  })
    .catch((error: unknown) => {
      // Two channels created with one name at once: the unique index kept the first.
      throw isUniqueViolation(error) || isUniqueViolationByCode(error) ? channelNameTaken() : error;
    });
  return { conversation: await loadConversationFor(db, created.id, creatorId), created: true };
}

const channelNameTaken = () => new AppError('conflict', 'name: a public channel with that name exists already.');

/** A unique violation read from the driver's fields (Next bundles its own Prisma: no instanceof there). */
function isUniqueViolationByCode(error: unknown): boolean {
  const cause = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: string } } } })?.meta?.driverAdapterError?.cause;
  return (error as { code?: string })?.code === 'P2002' || cause?.originalCode === '23505';
}

/**
 * Makes someone a member inside a transaction (the conversation row locked by the caller): a
 * former member's row goes (they are back), and the note that tells it is written. Throws
 * `conflict` when they are a member already.
 */
export async function admitMember(tx: DbOrTx, conversationId: string, userId: string, note: NoteEvent): Promise<{ noteId: string }> {
  const existing = await tx.participant.findUnique({ where: { conversationId_userId: { conversationId, userId } }, select: { userId: true } });
  if (existing) throw new AppError('conflict', 'That user is already a member.');
  await tx.formerMember.deleteMany({ where: { conversationId, userId } });
  await tx.participant.create({ data: { conversationId, userId, role: 'member' } });
  const written = await writeNote(tx, conversationId, note);
  return { noteId: written.id };
}

/** The stored note, as it goes on the wire (for the notifier). */
export async function noteDto(db: Db, noteId: string): Promise<MessageDto> {
  const row = await messageRowById(db, noteId);
  if (!row) throw new AppError('not_found', 'Message not found.');
  return toMessageDto(row);
}

/** Locks a conversation's row for a membership change (two changes at once cannot interleave). */
export async function lockConversation(tx: DbOrTx, conversationId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Conversation" WHERE id = ${conversationId}::uuid FOR UPDATE`;
}

async function requireGroupParticipant(db: Db, conversationId: string, userId: string) {
  const participant = await requireParticipant(db, conversationId, userId);
  if (participant.conversation.type !== 'group') {
    throw new AppError('bad_request', 'A private conversation always has exactly its two people.');
  }
  return participant;
}

/** Admins add members to groups; the timeline tells it. Returns the note. */
export async function addParticipant(db: Db, actorId: string, conversationId: string, userId: string): Promise<MessageDto> {
  const actor = await requireGroupParticipant(db, conversationId, actorId);
  if (actor.role !== 'admin') throw new AppError('forbidden', 'Only admins can add members.');
  const user = await db.user.findUnique({ where: { id: userId }, select: { isActive: true } });
  if (!user?.isActive) throw new AppError('not_found', 'User not found.');
  let noteId: string;
  try {
    ({ noteId } = await db.$transaction(async (tx) => {
      await lockConversation(tx, conversationId);
      return admitMember(tx, conversationId, userId, { event: 'member_added', actorId, userIds: [userId] });
    }));
  } catch (error) {
    if (isUniqueViolation(error) || isUniqueViolationByCode(error)) throw new AppError('conflict', 'That user is already a member.');
    throw error;
  }
  return noteDto(db, noteId);
}

/**
 * Admins remove members; anyone removes themself (leaves). When the last admin goes, the
 * longest-standing remaining member becomes admin. The conversation row is locked meanwhile so
 * two admins leaving at once cannot leave a group with none. The timeline tells it; the one who
 * went is kept as a former member (receipts of their time still count them), and someone removed
 * by another keeps the conversation read-only in their list up to that note. Returns the note.
 */
export async function removeParticipant(db: Db, actorId: string, conversationId: string, userId: string): Promise<MessageDto> {
  const actor = await requireGroupParticipant(db, conversationId, actorId);
  if (userId !== actorId && actor.role !== 'admin') throw new AppError('forbidden', 'Only admins can remove members.');
  const noteId = await db.$transaction(async (tx) => {
    await lockConversation(tx, conversationId);
    const member = await tx.participant.findUnique({
      where: { conversationId_userId: { conversationId, userId } },
      include: { conversation: { select: { name: true, description: true } } },
    });
    if (!member) throw new AppError('not_found', 'That user is not a member.');
    await tx.participant.delete({ where: { conversationId_userId: { conversationId, userId } } });
    const removed = userId !== actorId;
    const note = await writeNote(
      tx,
      conversationId,
      removed ? { event: 'member_removed', actorId, userIds: [userId] } : { event: 'member_left', actorId },
    );
    const former = {
      joinedAt: member.joinedAt,
      leftAt: new Date(),
      leftSeq: BigInt(note.seq),
      removedById: removed ? actorId : null,
      listed: removed,
      nameAtLeave: member.conversation.name,
      descriptionAtLeave: member.conversation.description,
      lastReadSeq: member.lastReadSeq,
      readAt: member.readAt,
      lastDeliveredSeq: member.lastDeliveredSeq,
      deliveredAt: member.deliveredAt,
    };
    await tx.formerMember.upsert({
      where: { conversationId_userId: { conversationId, userId } },
      create: { conversationId, userId, ...former },
      update: former,
    });
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
    return note.id;
  });
  return noteDto(db, noteId);
}

/**
 * Admins rename a group, change its description or its privacy (public channels are listed in the
 * channel browser and need a name unique among them). Each change is a timeline note; returns them.
 */
export async function updateConversation(
  db: Db,
  actorId: string,
  conversationId: string,
  changes: { name?: string; description?: string | null; privacy?: 'public' | 'private' },
): Promise<MessageDto[]> {
  const actor = await requireGroupParticipant(db, conversationId, actorId);
  if (actor.role !== 'admin') throw new AppError('forbidden', 'Only admins can change the name, description or privacy.');
  const noteIds = await db.$transaction(async (tx) => {
    await lockConversation(tx, conversationId);
    const current = await tx.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { name: true, description: true, privacy: true } });
    const name = changes.name ?? current.name;
    const wasPublic = current.privacy === 'public';
    const willBePublic = changes.privacy ? changes.privacy === 'public' : wasPublic;
    if (willBePublic && !name) throw new AppError('bad_request', 'name: a public channel needs a name.');
    const channelNameKey = willBePublic ? channelNameKeyFor(name!) : null;
    if (channelNameKey && (await isChannelNameTaken(tx, channelNameKey, conversationId))) throw channelNameTaken();
    await tx.conversation.update({
      where: { id: conversationId },
      data: {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        ...(changes.privacy !== undefined ? { privacy: changes.privacy } : {}),
        channelNameKey,
      },
    });
    const notes: NoteEvent[] = [];
    if (changes.name !== undefined && changes.name !== current.name) notes.push({ event: 'renamed', actorId, name: changes.name });
    if (changes.description !== undefined && changes.description !== current.description) notes.push({ event: 'description_changed', actorId });
    if (changes.privacy !== undefined && willBePublic !== wasPublic) notes.push({ event: 'privacy_changed', actorId, privacy: changes.privacy });
    const ids: string[] = [];
    for (const note of notes) ids.push((await writeNote(tx, conversationId, note)).id);
    return ids;
  }).catch((error: unknown) => {
    throw isUniqueViolationByCode(error) ? channelNameTaken() : error;
  });
  return Promise.all(noteIds.map((id) => noteDto(db, id)));
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
