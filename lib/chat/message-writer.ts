// The common path of sending: plain messages (no reply, attachment or location), written in
// batches. Sends that arrive while a write is in flight wait for it, then go together in one
// statement that checks membership, inserts, and moves each conversation's last activity. Per
// message that is a share of one round trip, one plan and one commit, instead of five statements
// of its own: what lets one node persist thousands of messages a second (docs/performance.md).
import { runsOnThisThread, type Db } from '../db/open';
import { AppError } from '../errors';
import type { ConversationRef, SendMessageInput } from '../protocol';
import { toMessageDto, type MessageRow } from './dto';
import { firstSendOf } from './first-send';
import type { SentMessage } from './messages';

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

type Queued = {
  senderId: string;
  input: SendMessageInput;
  resolve: (result: Written) => void;
  reject: (error: unknown) => void;
};

type Written =
  | { kind: 'not_member' }
  /** The sender's client id was used before (a retry): nothing was inserted. */
  | { kind: 'duplicate'; conversation: ConversationRef }
  | { kind: 'created'; row: MessageRow; conversation: ConversationRef };

type BatchRow = {
  n: number;
  username: string | null;
  name: string | null;
  avatarUrl: string | null;
  conversationName: string | null;
  conversationType: 'private' | 'group' | null;
  id: string | null;
  createdAt: Date | null;
};

class MessageWriter {
  private readonly queue: Queued[] = [];
  private writing = false;
  private nextWriteAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly pausePerWriteTime: number;

  constructor(private readonly db: Db) {
    this.pausePerWriteTime = runsOnThisThread(db) ? PGLITE_PAUSE_PER_WRITE_TIME : 0;
  }

  write(senderId: string, input: SendMessageInput): Promise<Written> {
    return new Promise((resolve, reject) => {
      this.queue.push({ senderId, input, resolve, reject });
      void this.flush();
    });
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
      const rows = await this.insert(batch);
      batch.forEach((queued, i) => queued.resolve(this.outcome(queued, rows[i])));
    } catch (error) {
      for (const queued of batch) queued.reject(error);
    } finally {
      const finished = performance.now();
      this.nextWriteAt = finished + (finished - started) * this.pausePerWriteTime;
      this.writing = false;
      void this.flush();
    }
  }

  private outcome({ senderId, input }: Queued, row: BatchRow | undefined): Written {
    if (!row?.username || !row.conversationType) return { kind: 'not_member' };
    const conversation: ConversationRef = { id: input.conversationId, name: row.conversationName, type: row.conversationType };
    if (!row.id || !row.createdAt) return { kind: 'duplicate', conversation };
    return {
      kind: 'created',
      conversation,
      row: {
        id: row.id,
        conversationId: input.conversationId,
        senderId,
        sender: { id: senderId, username: row.username, name: row.name ?? row.username, avatarUrl: row.avatarUrl },
        content: input.content,
        messageType: input.messageType,
        replyToId: null,
        replyTo: null,
        clientId: input.clientId ?? null,
        attachmentId: null,
        attachment: null,
        latitude: null,
        longitude: null,
        locationName: null,
        createdAt: row.createdAt,
        editedAt: null,
        deletedAt: null,
      },
    };
  }

  /** One row per queued send, in order. Ids are UUIDv7 (time first), like Prisma's uuid(7). */
  private insert(batch: Queued[]): Promise<BatchRow[]> {
    const conversationIds = batch.map((q) => q.input.conversationId);
    const senderIds = batch.map((q) => q.senderId);
    const contents = batch.map((q) => q.input.content);
    const types = batch.map((q) => q.input.messageType);
    const clientIds = batch.map((q) => q.input.clientId ?? null);
    // Named, so PostgreSQL parses and plans it once per connection (lib/db/open.ts).
    return this.db.$queryRaw<BatchRow[]>`/* statement: send-message-batch */
      WITH input AS (
        SELECT t.*, encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
                 PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid AS id
        FROM unnest(${conversationIds}::uuid[], ${senderIds}::uuid[], ${contents}::text[], ${types}::text[], ${clientIds}::text[])
             WITH ORDINALITY AS t("conversationId", "senderId", content, "messageType", "clientId", n)
      ), member AS (
        SELECT input.*, u.username, u.name, u."avatarUrl", c.name AS "conversationName", c.type::text AS "conversationType"
        FROM input
        JOIN "Participant" p ON p."conversationId" = input."conversationId" AND p."userId" = input."senderId"
        JOIN "User" u ON u.id = input."senderId"
        JOIN "Conversation" c ON c.id = input."conversationId"
      ), inserted AS (
        INSERT INTO "Message" (id, "conversationId", "senderId", content, "messageType", "clientId", "createdAt")
        SELECT id, "conversationId", "senderId", content, "messageType"::"MessageType", "clientId", now() FROM member ORDER BY n
        ON CONFLICT ("senderId", "clientId") DO NOTHING
        RETURNING id, "conversationId", "createdAt"
      ), latest AS (
        SELECT DISTINCT ON ("conversationId") id, "conversationId", "createdAt" FROM inserted ORDER BY "conversationId", "createdAt" DESC, id DESC
      ), locked AS (
        -- Locked in id order, so writers on two nodes touching the same conversations cannot deadlock.
        SELECT c.id FROM "Conversation" c JOIN latest ON latest."conversationId" = c.id ORDER BY c.id FOR NO KEY UPDATE OF c
      ), touched AS (
        -- Only ever forward (another node's batch may have committed a newer message).
        UPDATE "Conversation" c SET "lastMessageId" = latest.id, "lastActivityAt" = latest."createdAt", "updatedAt" = now()
        FROM latest JOIN locked ON locked.id = latest."conversationId"
        WHERE c.id = latest."conversationId" AND c."lastActivityAt" <= latest."createdAt"
      )
      SELECT input.n::int AS n, member.username, member.name, member."avatarUrl", member."conversationName", member."conversationType",
             inserted.id::text AS id, inserted."createdAt"
      FROM input LEFT JOIN member ON member.n = input.n LEFT JOIN inserted ON inserted.id = input.id
      ORDER BY input.n`;
  }
}

const writers = new WeakMap<Db, MessageWriter>();

/** Sends a plain message through the database's batch writer. */
export async function sendPlainMessage(db: Db, senderId: string, input: SendMessageInput): Promise<SentMessage> {
  let writer = writers.get(db);
  if (!writer) writers.set(db, (writer = new MessageWriter(db)));
  const written = await writer.write(senderId, input);
  if (written.kind === 'not_member') throw new AppError('not_found', 'Conversation not found.');
  if (written.kind === 'created') return { message: toMessageDto(written.row), conversation: written.conversation, created: true };
  // A retry with a client id already used: answer with the message sent the first time.
  const first = await firstSendOf(db, senderId, input.clientId!, input.conversationId);
  if (!first) throw new AppError('conflict', 'The message changed meanwhile.');
  return { message: first, conversation: written.conversation, created: false };
}

