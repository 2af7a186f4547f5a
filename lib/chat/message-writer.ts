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
import { runsOnThisThread, type Db } from '../db/open';
import type { ConversationRef, SendMessageInput } from '../protocol';
import { messageColumns, messageJoins, toMessageRow, type FlatMessageRow, type MessageRow } from './message-rows';

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

/** What became of one send. Everything but `created` stored nothing. */
export type Written =
  | { kind: 'not_member' }
  /** The sender used this client id before (a retry); the first message stands. */
  | { kind: 'duplicate'; conversation: ConversationRef }
  | { kind: 'reply_elsewhere' }
  /** No such upload, or someone else's. */
  | { kind: 'attachment_missing' }
  | { kind: 'attachment_used' }
  | { kind: 'created'; row: MessageRow; conversation: ConversationRef };

type Queued = {
  senderId: string;
  input: SendMessageInput;
  /** Position in the writer's arrival order, for drain(). */
  position: number;
  resolve: (result: Written) => void;
  reject: (error: unknown) => void;
};

type BatchRow = FlatMessageRow & {
  member: boolean | null;
  duplicate: boolean | null;
  replyOk: boolean | null;
  attachment: 'none' | 'ok' | 'missing' | 'used' | null;
  conversationName: string | null;
  conversationType: 'private' | 'group' | null;
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
      this.queue.push({ senderId, input, position: this.queued, resolve, reject });
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
      this.nextWriteAt = finished + (finished - started) * this.pausePerWriteTime;
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
  private async writeBatch(batch: Queued[]): Promise<void> {
    let rows: BatchRow[] | undefined;
    try {
      rows = await this.insert(batch);
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
    }
    const written = rows;
    if (written) return batch.forEach((queued, i) => settle(queued, written[i]));
    for (const queued of batch) {
      try {
        const [row] = await this.insert([queued]);
        settle(queued, row);
      } catch (error) {
        queued.reject(error);
      }
    }
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
    const column = <T>(pick: (queued: Queued) => T) => batch.map(pick);
    const conversationIds = column((q) => q.input.conversationId);
    const senderIds = column((q) => q.senderId);
    const contents = column((q) => q.input.content);
    const types = column((q) => q.input.messageType);
    const clientIds = column((q) => q.input.clientId ?? null);
    const replyToIds = column((q) => q.input.replyTo ?? null);
    const attachmentIds = column((q) => q.input.attachmentId ?? null);
    const latitudes = column((q) => q.input.location?.latitude ?? null);
    const longitudes = column((q) => q.input.location?.longitude ?? null);
    const locationNames = column((q) => q.input.location?.name ?? null);
    // Named, so PostgreSQL parses and plans it once per connection (lib/db/open.ts).
    return this.db.$queryRaw<BatchRow[]>`/* statement: send-message-batch */
      WITH input AS (
        SELECT t.*, encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
                 PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid AS id
        FROM unnest(${conversationIds}::uuid[], ${senderIds}::uuid[], ${contents}::text[], ${types}::text[], ${clientIds}::text[],
                    ${replyToIds}::uuid[], ${attachmentIds}::uuid[], ${latitudes}::float8[], ${longitudes}::float8[], ${locationNames}::text[])
             WITH ORDINALITY AS t("conversationId", "senderId", content, "messageType", "clientId",
                                  "replyToId", "attachmentId", latitude, longitude, "locationName", n)
      ), checked AS (
        -- Each check a lookup of its own (subqueries, not joins: cheap to plan, as PGlite plans every batch).
        SELECT input.n, input.id,
               (SELECT c.name FROM "Conversation" c WHERE c.id = input."conversationId") AS "conversationName",
               (SELECT c.type::text FROM "Conversation" c WHERE c.id = input."conversationId") AS "conversationType",
               EXISTS (SELECT 1 FROM "Participant" p WHERE p."conversationId" = input."conversationId" AND p."userId" = input."senderId") AS member,
               input."clientId" IS NOT NULL
                 AND (EXISTS (SELECT 1 FROM "Message" prior WHERE prior."senderId" = input."senderId" AND prior."clientId" = input."clientId")
                      OR row_number() OVER (PARTITION BY input."senderId", input."clientId" ORDER BY input.n) > 1) AS duplicate,
               input."replyToId" IS NULL
                 OR EXISTS (SELECT 1 FROM "Message" r WHERE r.id = input."replyToId" AND r."conversationId" = input."conversationId") AS "replyOk",
               CASE WHEN input."attachmentId" IS NULL THEN 'none'
                    WHEN NOT EXISTS (SELECT 1 FROM "Attachment" a WHERE a.id = input."attachmentId" AND a."uploaderId" = input."senderId") THEN 'missing'
                    WHEN EXISTS (SELECT 1 FROM "Message" carrier WHERE carrier."attachmentId" = input."attachmentId")
                      OR row_number() OVER (PARTITION BY input."attachmentId" ORDER BY input.n) > 1 THEN 'used'
                    ELSE 'ok' END AS attachment
        FROM input
      ), accepted AS (
        SELECT n FROM checked WHERE member AND NOT duplicate AND "replyOk" AND attachment IN ('none', 'ok')
      ), locked AS MATERIALIZED (
        SELECT c.id, c."lastSeq" FROM "Conversation" c
        WHERE c.id IN (SELECT input."conversationId" FROM input JOIN accepted ON accepted.n = input.n)
        ORDER BY c.id FOR NO KEY UPDATE OF c
      ), numbered AS (
        SELECT input.*, locked."lastSeq" + row_number() OVER (PARTITION BY input."conversationId" ORDER BY input.n) AS seq
        FROM input JOIN accepted ON accepted.n = input.n JOIN locked ON locked.id = input."conversationId"
      ), inserted AS (
        INSERT INTO "Message" (id, seq, "conversationId", "senderId", content, "messageType", "clientId",
                               "replyToId", "attachmentId", latitude, longitude, "locationName", "createdAt")
        SELECT id, seq, "conversationId", "senderId", content, "messageType"::"MessageType", "clientId",
               "replyToId", "attachmentId", latitude, longitude, "locationName", now()
        FROM numbered ORDER BY n
        RETURNING id, seq, "conversationId", "senderId", content, "messageType", "replyToId", "clientId", "attachmentId",
                  latitude, longitude, "locationName", "createdAt", "editedAt", "deletedAt"
      ), newest AS (
        SELECT DISTINCT ON ("conversationId") "conversationId", id, seq, "createdAt" FROM inserted ORDER BY "conversationId", seq DESC
      ), touched AS (
        UPDATE "Conversation" c SET "lastSeq" = newest.seq, "lastMessageId" = newest.id,
               "lastActivityAt" = greatest(c."lastActivityAt", newest."createdAt"), "updatedAt" = now()
        FROM newest WHERE c.id = newest."conversationId"
      )
      SELECT checked.member, checked.duplicate, checked."replyOk", checked.attachment,
             checked."conversationName", checked."conversationType", ${messageColumns}
      FROM checked LEFT JOIN inserted m ON m.id = checked.id
      ${messageJoins}
      ORDER BY checked.n`;
  }
}

function settle(queued: Queued, row: BatchRow | undefined): void {
  try {
    queued.resolve(outcome(queued, row));
  } catch (error) {
    queued.reject(error);
  }
}

function outcome({ input }: Queued, row: BatchRow | undefined): Written {
  if (!row?.member || !row.conversationType) return { kind: 'not_member' };
  const conversation: ConversationRef = { id: input.conversationId, name: row.conversationName, type: row.conversationType };
  if (row.duplicate) return { kind: 'duplicate', conversation };
  if (!row.replyOk) return { kind: 'reply_elsewhere' };
  if (row.attachment === 'missing') return { kind: 'attachment_missing' };
  if (row.attachment === 'used') return { kind: 'attachment_used' };
  if (!row.id) throw new Error('An accepted message was not stored.');
  return { kind: 'created', conversation, row: toMessageRow({ ...row, id: row.id }) };
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
