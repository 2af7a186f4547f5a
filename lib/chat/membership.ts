// Who may see a conversation: its current participants. Everyone else is told it does not exist
// (404 / not_found), never "forbidden", so conversation ids cannot be probed.
import type { Db } from '../db/open';
import { AppError } from '../errors';

export async function requireParticipant(db: Db, conversationId: string, userId: string) {
  const participant = await db.participant.findUnique({
    where: { conversationId_userId: { conversationId, userId } },
    include: { conversation: { select: { id: true, name: true, type: true } } },
  });
  if (!participant) throw new AppError('not_found', 'Conversation not found.');
  return participant;
}

export async function conversationIdsOf(db: Db, userId: string): Promise<string[]> {
  const rows = await db.participant.findMany({ where: { userId }, select: { conversationId: true } });
  return rows.map((row) => row.conversationId);
}

export async function participantIdsOf(db: Db, conversationId: string): Promise<string[]> {
  const rows = await db.participant.findMany({ where: { conversationId }, select: { userId: true } });
  return rows.map((row) => row.userId);
}

/** Everyone who shares at least one conversation with the user (the user excluded). */
export async function contactIdsOf(db: Db, userId: string): Promise<string[]> {
  const rows = await db.$queryRaw<{ userId: string }[]>`
    SELECT DISTINCT other."userId"::text AS "userId"
    FROM "Participant" mine
    JOIN "Participant" other ON other."conversationId" = mine."conversationId"
    WHERE mine."userId" = ${userId}::uuid AND other."userId" <> ${userId}::uuid`;
  return rows.map((row) => row.userId);
}
