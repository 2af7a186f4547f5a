// Timeline notes: what happened to a group (members added, joined, removed, left; renamed;
// privacy changed), stored as messages numbered in the same seq sequence, so history, catch-up
// and live events carry them in order with what people wrote. A note's `content` is the sentence
// a reader sees ("Alice removed Bob"); `systemEvent` says the same for programs. Notes are never
// unread (lib/chat/receipts.ts leaves them out), never notify (the notifier's `noteCreated`, not
// `messageCreated`), and cannot be edited or deleted.
import type { Db } from '../db/open';
import type { Prisma } from '../db/generated/client';
import { LIMITS, type ConversationPrivacy, type SystemEventDto } from '../protocol';

/** A database handle or an open transaction. */
export type DbOrTx = Db | Prisma.TransactionClient;

export type NoteEvent =
  | { event: 'member_added'; actorId: string; userIds: string[] }
  | { event: 'member_joined'; actorId: string; via: 'browse' | 'link' }
  | { event: 'member_removed'; actorId: string; userIds: string[] }
  | { event: 'member_left'; actorId: string }
  | { event: 'renamed'; actorId: string; name: string }
  | { event: 'description_changed'; actorId: string }
  | { event: 'privacy_changed'; actorId: string; privacy: ConversationPrivacy };

const PRIVACY_WORDS: Record<ConversationPrivacy, string> = {
  public: 'public: anyone can find and join it',
  private: 'private: invitation only',
  'invite-only': 'private: invitation only',
};

function listOfNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** The sentence a reader sees, with the names as they are now. */
export function noteSentence(note: NoteEvent, nameOf: (userId: string) => string): string {
  const actor = nameOf(note.actorId);
  switch (note.event) {
    case 'member_added':
      return `${actor} added ${listOfNames(note.userIds.map(nameOf))}`;
    case 'member_joined':
      return note.via === 'link' ? `${actor} joined with an invite link` : `${actor} joined`;
    case 'member_removed':
      return `${actor} removed ${listOfNames(note.userIds.map(nameOf))}`;
    case 'member_left':
      return `${actor} left`;
    case 'renamed':
      return `${actor} renamed the group to “${note.name}”`;
    case 'description_changed':
      return `${actor} changed the description`;
    case 'privacy_changed':
      return `${actor} made the group ${PRIVACY_WORDS[note.privacy]}`;
  }
}

/**
 * Stores a note as the conversation's next message (seq). Taking the next seq updates the
 * conversation's row, which waits for (and is waited for by) the batch writer's lock on it, so
 * notes and messages never share a number. Run it inside the transaction of the change it tells.
 */
export async function writeNote(tx: DbOrTx, conversationId: string, note: NoteEvent): Promise<{ id: string; seq: number }> {
  const userIds = [note.actorId, ...('userIds' in note ? note.userIds : [])];
  const users = await tx.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } });
  const names = new Map(users.map((u) => [u.id, u.name]));
  const content = noteSentence(note, (id) => names.get(id) ?? 'Someone').slice(0, LIMITS.messageContent);
  // The id is a UUIDv7 (time first) like every other; the conversation's row is updated once.
  const [row] = await tx.$queryRaw<{ id: string; seq: bigint }[]>`
    WITH fresh AS (
      SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
               PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid AS id
    ), numbered AS (
      UPDATE "Conversation" c SET "lastSeq" = c."lastSeq" + 1, "lastMessageId" = fresh.id, "lastActivityAt" = now(), "updatedAt" = now()
      FROM fresh WHERE c.id = ${conversationId}::uuid
      RETURNING c.id, c."lastSeq", fresh.id AS "messageId"
    ), inserted AS (
      INSERT INTO "Message" (id, seq, "conversationId", "senderId", content, "messageType", "systemEvent", "createdAt")
      SELECT numbered."messageId", numbered."lastSeq", numbered.id, ${note.actorId}::uuid, ${content}, 'text', ${JSON.stringify(note)}::jsonb, now()
      FROM numbered
      RETURNING id, seq
    )
    SELECT id::text AS id, seq FROM inserted`;
  if (!row) throw new Error('A timeline note was not stored.');
  return { id: row.id, seq: Number(row.seq) };
}

/** The wire shape of a stored note's event (null for a message someone wrote). */
export function toSystemEventDto(stored: unknown): SystemEventDto | null {
  if (!stored || typeof stored !== 'object') return null;
  const note = stored as NoteEvent;
  return {
    event: note.event,
    actorId: note.actorId,
    userIds: 'userIds' in note ? note.userIds : [],
    name: 'name' in note ? note.name : null,
    privacy: 'privacy' in note ? note.privacy : null,
    via: 'via' in note ? note.via : null,
  };
}
