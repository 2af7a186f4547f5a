// The one way messages are stored: in batches. Sends that arrive while a write is in flight wait
// for it, then go together in one statement that checks each (membership, a retried client id,
// the reply and the attachment), numbers the accepted ones under their conversations' row locks,
// inserts them, and moves each conversation's counter and last activity. Per message that is a
// share of one round trip, one plan and one commit: what lets one node persist thousands of
// messages a second (docs/performance.md).
//
// Order: a conversation's messages are numbered 1, 2, 3… (`seq`) with no gaps. Within a batch,
// entries keep their arrival order, and batches of one writer never overlap, so one sender's
// messages are stored in the order the server received them.
//
// The statement answers only what the database made (id, seq, time, the sender's names); the rest
// of a plain message is what was sent, put through the read path's mapping (toMessageRow). A
// message with a reply or an attachment is read back through the read path itself. Every column
// of an answer costs: on PGlite, 30 columns instead of 9 cost 70 µs more per message.
import { runsOnThisThread, type Db } from '../db/open';
import type { ConversationRef, SendMessageInput } from '../protocol';
import { messageRowsInOrder, toMessageRow, type MessageRow } from './message-rows';
import { getMetrics } from '../observability/metrics';
import { NO_MENTIONS, resolveMentions, type ResolvedMentions } from './mentions';

/** Enough to amortise the statement, small enough to keep one batch's latency low. */
const MAX_BATCH = 256;
/**
 * On embedded PGlite, after a write the next waits at least as long as that one took. PGlite runs
 * on this thread: without the pause, batches of one or two would keep it busy and starve the
 * sockets (at 1000 messages/s, p50 latency 5 s); with it, the database gets at most about half
 * the thread and batches grow with the load (p50 14 ms). PostgreSQL works on its own cores, so
 * there the next batch goes at once: a pause only adds latency (p99 120 -> 840 ms at 2000/s).
 */
const PGLITE_PAUSE_PER_WRITE_TIME = 1;
/**
 * Batches start at least this far apart. Each statement costs the node and the database a fixed
 * share (a round trip, a commit, waking up for its answer) besides its messages: at 1000
 * messages/s, batches of 3-4 written back to back kept PostgreSQL at 30% of a core and the node
 * at 61-63%; 5 ms apart, 15-16% and 50-53%, and p99 53-61 ms instead of 66-76 (docs/performance.md).
 * A send that finds the writer idle still goes at once.
 */
const MIN_BATCH_SPACING_MS = 5;

/** What became of one send. Everything but `created` stored nothing. */
export type Written =
  | { kind: 'not_member' }
  /** The sender used this client id before (a retry); the first message stands. */
  | { kind: 'duplicate'; conversation: ConversationRef }
  | { kind: 'reply_elsewhere' }
  /** The thread's top message is not a top-level message of this conversation. */
  | { kind: 'thread_elsewhere' }
  /** No such upload, or someone else's. */
  | { kind: 'attachment_missing' }
  | { kind: 'attachment_used' }
  /** @here / @all from someone who is not an admin of the group (./mentions.ts). */
  | { kind: 'everyone_refused' }
  | { kind: 'created'; row: MessageRow; conversation: ConversationRef };

type Queued = {
  senderId: string;
  input: SendMessageInput;
  /** Position in the writer's arrival order, for drain(). */
  position: number;
  /** Who the text mentions, resolved against the members before the batch is written. */
  mentions: ResolvedMentions;
  resolve: (result: Written) => void;
  reject: (error: unknown) => void;
};

type BatchRow = {
  outcome: Exclude<Written['kind'], 'created' | 'everyone_refused'> | 'created';
  conversationName: string | null;
  conversationType: 'private' | 'group' | null;
  /** The stored message (null unless created). */
  id: string | null;
  seq: bigint | number | null;
  createdAt: Date | null;
  senderUsername: string | null;
  senderName: string | null;
  senderAvatarUrl: string | null;
};

class MessageWriter {
  private readonly queue: Queued[] = [];
  private writing = false;
  private nextWriteAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly pausePerWriteTime: number;
  /** Sends queued and sends answered so far; drain() waits for the second to reach the first. */
  private queued = 0;
  private answered = 0;
  private drainWaiters: { position: number; resolve: () => void }[] = [];

  constructor(private readonly db: Db) {
    this.pausePerWriteTime = runsOnThisThread(db) ? PGLITE_PAUSE_PER_WRITE_TIME : 0;
  }

  write(senderId: string, input: SendMessageInput): Promise<Written> {
    return new Promise((resolve, reject) => {
      this.queued += 1;
      this.queue.push({ senderId, input, position: this.queued, mentions: NO_MENTIONS, resolve, reject });
      void this.flush();
    });
  }

  /** Resolves once every send queued before the call is written and answered. */
  drain(): Promise<void> {
    if (this.answered >= this.queued) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push({ position: this.queued, resolve }));
  }

  private async flush(): Promise<void> {
    if (this.writing || this.timer || this.queue.length === 0) return;
    const wait = this.nextWriteAt - performance.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.flush();
      }, wait);
      return;
    }
    this.writing = true;
    const started = performance.now();
    const batch = this.queue.splice(0, MAX_BATCH);
    try {
      await this.writeBatch(batch);
    } finally {
      const finished = performance.now();
      const metrics = getMetrics();
      metrics.writeBatchSize.observe(batch.length);
      metrics.writeBatchSeconds.observe((finished - started) / 1000);
      this.nextWriteAt = Math.max(finished + (finished - started) * this.pausePerWriteTime, started + MIN_BATCH_SPACING_MS);
      this.writing = false;
      this.answered = batch.at(-1)!.position;
      this.wakeDrainWaiters();
      void this.flush();
    }
  }

  /**
   * Answers every send of the batch. When the statement fails as a whole (one entry the database
   * refuses, a retry racing on another node), each entry is written again on its own, in order:
   * one bad entry never fails another's send, and the failed statement took no seq.
   */
  private async writeBatch(queued: Queued[]): Promise<void> {
    const batch = await this.withMentions(queued);
    if (batch.length === 0) return;
    let rows: BatchRow[] | undefined;
    try {
      rows = await this.insert(batch);
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
    }
    if (rows) return this.settle(batch, rows);
    for (const queued of batch) {
      try {
        await this.settle([queued], await this.insert([queued]));
      } catch (error) {
        queued.reject(error);
      }
    }
  }

  /**
   * Resolves the mentions of the batch's texts against the members (one query, none without an
   * `@`) and answers the sends whose @here/@all is refused; returns the rest, mentions set.
   */
  private async withMentions(batch: Queued[]): Promise<Queued[]> {
    let resolved: Awaited<ReturnType<typeof resolveMentions>>;
    try {
      resolved = await resolveMentions(
        this.db,
        batch.map(({ senderId, input }) => ({ conversationId: input.conversationId, senderId, content: input.content })),
      );
    } catch (error) {
      batch.forEach((queued) => queued.reject(error));
      return [];
    }
    return batch.filter((queued, i) => {
      const mentions = resolved[i] ?? NO_MENTIONS;
      if (mentions === 'refused') {
        queued.resolve({ kind: 'everyone_refused' });
        return false;
      }
      queued.mentions = mentions;
      return true;
    });
  }

  /** Answers each send from its row; a created message with a reply or attachment is read back. */
  private async settle(batch: Queued[], rows: BatchRow[]): Promise<void> {
    const rich = batch.flatMap(({ input }, i) => (rows[i]?.outcome === 'created' && (input.replyTo || input.attachmentId) ? [rows[i]!.id!] : []));
    const readBack = new Map((await messageRowsInOrder(this.db, rich)).map((row) => [row.id, row]));
    getMetrics().messagesPersisted.inc(rows.filter((row) => row.outcome === 'created').length);
    batch.forEach((queued, i) => {
      try {
        queued.resolve(outcome(queued, rows[i], readBack));
      } catch (error) {
        queued.reject(error);
      }
    });
  }

  private wakeDrainWaiters(): void {
    const ready = this.drainWaiters.filter((waiter) => waiter.position <= this.answered);
    if (ready.length === 0) return;
    this.drainWaiters = this.drainWaiters.filter((waiter) => waiter.position > this.answered);
    // After the callers' own continuations (their acknowledgements), which are queued already.
    setImmediate(() => ready.forEach((waiter) => waiter.resolve()));
  }

  /**
   * One row per queued send, in order. Ids are UUIDv7 (time first), like Prisma's uuid(7).
   *
   * Checks read the statement's snapshot. The conversations of the accepted entries are then
   * locked in id order (writers on two nodes cannot deadlock); a locked row is read as last
   * committed (READ COMMITTED re-reads a row it waited for), so "lastSeq" is current and the new
   * seqs follow it. No ON CONFLICT: a retried client id is filtered out by the checks, within
   * the batch by its first entry, so no seq is ever taken by a row that is then skipped. A retry
   * committed by another node after the snapshot fails the statement instead, and writeBatch
   * writes the entries again one by one (each with a new snapshot that sees it).
   */
  private insert(batch: Queued[]): Promise<BatchRow[]> {
    // Within the batch, the first entry with a client id (per sender) or an upload takes it.
    const repeatsClientId = repeatsOf(batch, (q) => (q.input.clientId ? `${q.senderId} ${q.input.clientId}` : null));
    const repeatsAttachment = repeatsOf(batch, (q) => q.input.attachmentId ?? null);
    // One JSON parameter rather than an array per column: serialised natively (Prisma and pg
    // spend far more on an element of an array parameter), with short keys and absent values
    // left out (JSON.stringify drops undefined), so the database has little to parse.
    const entries = JSON.stringify(
      batch.map(({ senderId, input, mentions }, i) => ({
        c: input.conversationId,
        s: senderId,
        t: input.content,
        y: input.messageType,
        k: input.clientId,
        r: input.replyTo,
        a: input.attachmentId,
        la: input.location?.latitude,
        lo: input.location?.longitude,
        ln: input.location?.name,
        // Ids joined by spaces: cheaper to parse than a nested array.
        mi: mentions.mentionedUserIds.length > 0 ? mentions.mentionedUserIds.join(' ') : undefined,
        me: mentions.mentionsEveryone ?? undefined,
        rk: repeatsClientId[i] || undefined,
        ra: repeatsAttachment[i] || undefined,
        tr: input.threadRootId,
        ac: input.alsoInConversation || undefined,
      })),
    );
    // Named, so PostgreSQL parses and plans it once per connection (lib/db/open.ts).
    return this.db.$queryRaw<BatchRow[]>`/* statement: send-message-batch */
      WITH input AS (
        SELECT t.*, encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
                 PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid AS id
        FROM ROWS FROM (json_to_recordset(${entries}::json)
               AS (c uuid, s uuid, t text, y text, k text, r uuid, a uuid, la float8, lo float8, ln text, mi text, me text, rk boolean, ra boolean, tr uuid, ac boolean)) WITH ORDINALITY
             AS t("conversationId", "senderId", content, "messageType", "clientId", "replyToId", "attachmentId",
                  latitude, longitude, "locationName", "mentionIds", "mentionScope", "repeatsClientId", "repeatsAttachment", "threadRootId", "alsoInConversation", n)
      ), checked AS (
        -- Each check is a lookup of its own on a unique index: scalar subqueries rather than joins
        -- (cheap to plan, and PGlite plans every batch) or EXISTS (which PostgreSQL may answer by
        -- hashing a whole table).
        SELECT input.*,
               (SELECT c FROM "Conversation" c WHERE c.id = input."conversationId") AS conversation,
               (SELECT true FROM "Participant" p WHERE p."conversationId" = input."conversationId" AND p."userId" = input."senderId") IS NOT NULL AS member,
               input."clientId" IS NOT NULL
                 AND (input."repeatsClientId" IS TRUE
                      OR (SELECT true FROM "Message" prior WHERE prior."senderId" = input."senderId" AND prior."clientId" = input."clientId") IS NOT NULL) AS duplicate,
               input."replyToId" IS NULL
                 OR (SELECT true FROM "Message" r WHERE r.id = input."replyToId" AND r."conversationId" = input."conversationId") IS NOT NULL AS "replyOk",
               -- A thread hangs off a top-level message of the same conversation.
               input."threadRootId" IS NULL
                 OR (SELECT true FROM "Message" tr WHERE tr.id = input."threadRootId" AND tr."conversationId" = input."conversationId"
                       AND tr."threadRootId" IS NULL AND tr."systemEvent" IS NULL) IS NOT NULL AS "threadOk",
               CASE WHEN input."attachmentId" IS NULL THEN 'none'
                    WHEN (SELECT a."uploaderId" FROM "Attachment" a WHERE a.id = input."attachmentId") IS DISTINCT FROM input."senderId" THEN 'missing'
                    WHEN input."repeatsAttachment" IS TRUE
                      OR (SELECT true FROM "Message" carrier WHERE carrier."attachmentId" = input."attachmentId") IS NOT NULL THEN 'used'
                    ELSE 'ok' END AS attachment
        FROM input
      ), accepted AS (
        SELECT * FROM checked WHERE member AND NOT duplicate AND "replyOk" AND "threadOk" AND attachment IN ('none', 'ok')
      ), locked AS MATERIALIZED (
        SELECT c.id, c."lastSeq" FROM "Conversation" c
        WHERE c.id IN (SELECT "conversationId" FROM accepted)
        ORDER BY c.id FOR NO KEY UPDATE OF c
      ), inserted AS (
        INSERT INTO "Message" (id, seq, "conversationId", "senderId", content, "messageType", "clientId",
                               "replyToId", "attachmentId", latitude, longitude, "locationName",
                               "mentionedUserIds", "mentionsEveryone", "threadRootId", "alsoInConversation", "createdAt")
        SELECT accepted.id, locked."lastSeq" + row_number() OVER (PARTITION BY accepted."conversationId" ORDER BY accepted.n),
               accepted."conversationId", "senderId", content, "messageType"::"MessageType", "clientId",
               "replyToId", "attachmentId", latitude, longitude, "locationName",
               coalesce(string_to_array("mentionIds", ' ')::uuid[], ARRAY[]::uuid[]), "mentionScope"::"MentionScope",
               "threadRootId", coalesce("alsoInConversation", false), now()
        FROM accepted JOIN locked ON locked.id = accepted."conversationId"
        ORDER BY accepted.n
        RETURNING id, seq, "conversationId", "senderId", "createdAt", "threadRootId", "alsoInConversation"
      ), newest AS (
        SELECT DISTINCT ON ("conversationId") "conversationId", seq FROM inserted ORDER BY "conversationId", seq DESC
      ), "newestShown" AS (
        -- A thread-only reply takes a seq but is not the conversation's last message or activity.
        SELECT DISTINCT ON ("conversationId") "conversationId", id, "createdAt" FROM inserted
        WHERE "threadRootId" IS NULL OR "alsoInConversation" ORDER BY "conversationId", seq DESC
      ), touched AS (
        UPDATE "Conversation" c SET "lastSeq" = newest.seq, "lastMessageId" = coalesce(shown.id, c."lastMessageId"),
               "lastActivityAt" = greatest(c."lastActivityAt", shown."createdAt"), "updatedAt" = now()
        FROM newest LEFT JOIN "newestShown" shown ON shown."conversationId" = newest."conversationId"
        WHERE c.id = newest."conversationId"
      )
      SELECT CASE WHEN NOT checked.member THEN 'not_member' WHEN checked.duplicate THEN 'duplicate'
                  WHEN NOT checked."replyOk" THEN 'reply_elsewhere' WHEN NOT checked."threadOk" THEN 'thread_elsewhere' WHEN checked.attachment = 'missing' THEN 'attachment_missing'
                  WHEN checked.attachment = 'used' THEN 'attachment_used' ELSE 'created' END AS outcome,
             (checked.conversation).name AS "conversationName", (checked.conversation).type::text AS "conversationType",
             m.id::text AS id, m.seq, m."createdAt", s.username AS "senderUsername", s.name AS "senderName", s."avatarUrl" AS "senderAvatarUrl"
      FROM checked LEFT JOIN inserted m ON m.id = checked.id LEFT JOIN "User" s ON s.id = m."senderId"
      ORDER BY checked.n`;
  }
}

/** For each entry, whether an earlier entry of the batch has the same key (null: no key). */
function repeatsOf(batch: Queued[], keyOf: (queued: Queued) => string | null): boolean[] {
  const seen = new Set<string>();
  return batch.map((queued) => {
    const key = keyOf(queued);
    if (key === null) return false;
    if (seen.has(key)) return true;
    seen.add(key);
    return false;
  });
}

function outcome({ senderId, input, mentions }: Queued, row: BatchRow | undefined, readBack: Map<string, MessageRow>): Written {
  if (!row || row.outcome === 'not_member' || !row.conversationType) return { kind: 'not_member' };
  const conversation: ConversationRef = { id: input.conversationId, name: row.conversationName, type: row.conversationType };
  if (row.outcome === 'duplicate') return { kind: 'duplicate', conversation };
  if (row.outcome !== 'created') return { kind: row.outcome };
  if (!row.id) throw new Error('An accepted message was not stored.');
  const stored = readBack.get(row.id);
  if (stored) return { kind: 'created', conversation, row: stored };
  if (input.replyTo || input.attachmentId) throw new Error('A stored message could not be read back.');
  // A plain message: what was sent, and what the database made.
  const sent = toMessageRow({
    id: row.id,
    seq: row.seq!,
    conversationId: input.conversationId,
    senderId,
    content: input.content,
    messageType: input.messageType,
    replyToId: null,
    clientId: input.clientId ?? null,
    attachmentId: null,
    latitude: input.location?.latitude ?? null,
    longitude: input.location?.longitude ?? null,
    locationName: input.location?.name ?? null,
    mentionedUserIds: mentions.mentionedUserIds,
    mentionsEveryone: mentions.mentionsEveryone,
    createdAt: row.createdAt!,
    editedAt: null,
    deletedAt: null,
    systemEvent: null,
    senderUsername: row.senderUsername!,
    senderName: row.senderName!,
    senderAvatarUrl: row.senderAvatarUrl,
    replySenderId: null,
    replyContent: null,
    replyMessageType: null,
    replyDeletedAt: null,
    replySenderName: null,
    attachmentFileName: null,
    attachmentMimeType: null,
    attachmentSize: null,
    attachmentDurationSec: null,
    attachmentWidth: null,
    attachmentHeight: null,
    attachmentWaveform: null,
    attachmentThumbnailKey: null,
    threadRootId: input.threadRootId ?? null,
    alsoInConversation: Boolean(input.threadRootId && input.alsoInConversation),
    reactions: null,
    threadReplyCount: null,
    threadLastReplyAt: null,
    threadLastReplySeq: null,
    threadRepliers: null,
  });
  return { kind: 'created', conversation, row: sent };
}

const writers = new WeakMap<Db, MessageWriter>();

function writerOf(db: Db): MessageWriter {
  let writer = writers.get(db);
  if (!writer) writers.set(db, (writer = new MessageWriter(db)));
  return writer;
}

/** Stores one message through the database's batch writer (lib/chat/messages.ts sendMessage). */
export function writeMessage(db: Db, senderId: string, input: SendMessageInput): Promise<Written> {
  return writerOf(db).write(senderId, input);
}

/**
 * Resolves when every send queued so far has been written and answered (for a graceful
 * shutdown: acknowledge what was taken before closing the database).
 */
export function drainMessageWriter(db: Db): Promise<void> {
  return writers.get(db)?.drain() ?? Promise.resolve();
}
