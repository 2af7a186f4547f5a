// The batch writer (lib/chat/message-writer.ts) on a real database: sends that arrive together
// share one statement, yet each gets its own answer and a gap-free seq in arrival order; replies,
// attachments and locations go the same way; a batch the database refuses is retried entry by
// entry; drainMessageWriter waits for what was queued; on PostgreSQL the statement is prepared
// once per connection and reused, and two writers (two nodes) on one database keep seqs gap-free.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '@/lib/db/open';
import { createConversation } from '@/lib/chat/conversations';
import { sendMessage } from '@/lib/chat/messages';
import { drainMessageWriter } from '@/lib/chat/message-writer';
import { sendMessageInput, type SendMessageInput, type UserDto } from '@/lib/protocol';
import { createTestDatabase, testDatabaseKind } from './helpers/database';
import { createUser, uniqueName } from './helpers/factories';

let handle: DatabaseHandle & { url?: string };
beforeAll(async () => {
  // One connection, so the prepared statement is looked up on the connection that made it.
  handle = await createTestDatabase({ poolSize: 1 });
});
afterAll(async () => {
  await handle?.close();
});

async function groupOf(members: UserDto[]) {
  const [admin, ...others] = members;
  const { conversation } = await createConversation(handle.db, admin!.id, {
    type: 'group',
    name: uniqueName('team'),
    participantIds: others.map((u) => u.id),
  });
  return conversation;
}

const send = (senderId: string, conversationId: string, content: string, clientId?: string) =>
  sendMessage(handle.db, senderId, sendMessageInput.parse({ conversationId, content, clientId }));

describe(`batch writer on ${testDatabaseKind}`, () => {
  it('answers each of many concurrent sends on its own: created, retried, or refused to a stranger', async () => {
    const [alice, bob, stranger] = await Promise.all([createUser(handle.db), createUser(handle.db), createUser(handle.db)]);
    const conversation = await groupOf([alice!, bob!]);
    const first = await send(alice!.id, conversation.id, 'first', 'alice-1');

    const outcomes = await Promise.allSettled([
      ...Array.from({ length: 40 }, (_, i) => send(i % 2 ? bob!.id : alice!.id, conversation.id, `message ${i}`, `c-${i}`)),
      send(stranger!.id, conversation.id, 'let me in', 'stranger-1'),
      send(alice!.id, conversation.id, 'first, again', 'alice-1'),
    ]);

    const created = outcomes.slice(0, 40).map((o) => (o.status === 'fulfilled' ? o.value : null));
    expect(created.every((sent) => sent?.created)).toBe(true);
    created.forEach((sent, i) => {
      expect(sent!.message.content).toBe(`message ${i}`);
      expect(sent!.message.sender.id).toBe(i % 2 ? bob!.id : alice!.id);
    });
    expect(new Set(created.map((sent) => sent!.message.id)).size).toBe(40);

    const refused = outcomes[40]!;
    expect(refused.status).toBe('rejected');
    expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: 'not_found' });

    const retried = outcomes[41]!;
    expect(retried.status).toBe('fulfilled');
    const again = (retried as PromiseFulfilledResult<Awaited<ReturnType<typeof send>>>).value;
    expect(again.created).toBe(false);
    expect(again.message.id).toBe(first.message.id);
    expect(again.message.content).toBe('first');

    // Stored once each, numbered 1..41 without gaps in arrival order (the retry and the stranger
    // took no seq), and the conversation points at the newest.
    const stored = await handle.db.message.findMany({ where: { conversationId: conversation.id }, orderBy: { seq: 'asc' } });
    expect(stored.map((m) => Number(m.seq))).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
    expect(stored.slice(1).map((m) => m.content)).toEqual(Array.from({ length: 40 }, (_, i) => `message ${i}`));
    expect(created.map((sent) => sent!.message.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 2));
    expect(stored.some((m) => m.senderId === stranger!.id)).toBe(false);
    const row = await handle.db.conversation.findUniqueOrThrow({ where: { id: conversation.id } });
    expect(row.lastSeq).toBe(41n);
    expect(row.lastMessageId).toBe(stored.at(-1)!.id);
    expect(row.lastActivityAt.getTime()).toBe(stored.at(-1)!.createdAt.getTime());
  });

  it('refuses a client id already used for another conversation, on either send path', async () => {
    const [alice, bob] = await Promise.all([createUser(handle.db), createUser(handle.db)]);
    const [first, second] = [await groupOf([alice!, bob!]), await groupOf([alice!, bob!])];
    const sent = await send(alice!.id, first.id, 'to the first', 'reused-id');

    // A plain message goes through the batch writer; a location message takes the other path.
    await expect(send(alice!.id, second.id, 'to the second', 'reused-id')).rejects.toMatchObject({ code: 'conflict' });
    const located = sendMessageInput.parse({
      conversationId: second.id,
      messageType: 'location',
      location: { latitude: 52.5, longitude: 13.4 },
      clientId: 'reused-id',
    });
    await expect(sendMessage(handle.db, alice!.id, located)).rejects.toMatchObject({ code: 'conflict' });

    // The same retry in the right conversation answers with the first message, on both paths.
    expect(await send(alice!.id, first.id, 'to the first, again', 'reused-id')).toMatchObject({ created: false, message: { id: sent.message.id } });
    expect(await sendMessage(handle.db, alice!.id, { ...located, conversationId: first.id })).toMatchObject({ created: false, message: { id: sent.message.id } });
    expect(await handle.db.message.count({ where: { conversationId: second.id } })).toBe(0);
  });

  it('takes replies, attachments and locations in the same batch, with their checks', async () => {
    const [alice, bob] = await Promise.all([createUser(handle.db), createUser(handle.db)]);
    const [conversation, elsewhere] = [await groupOf([alice!, bob!]), await groupOf([alice!, bob!])];
    const upload = (uploaderId: string) =>
      handle.db.attachment.create({
        data: { uploaderId, storageKey: `test/${randomUUID()}`, fileName: 'plan.pdf', mimeType: 'application/pdf', size: 1234 },
      });
    const [mine, bobs] = [await upload(alice!.id), await upload(bob!.id)];
    const question = await send(bob!.id, conversation.id, 'Where is the plan?');
    const away = await send(bob!.id, elsewhere.id, 'elsewhere');
    const as = (input: Record<string, unknown>) => sendMessage(handle.db, alice!.id, sendMessageInput.parse({ conversationId: conversation.id, ...input }));

    // Queued together: one batch after the first.
    const outcomes = await Promise.allSettled([
      as({ content: 'first' }),
      as({ content: 'Here it is', replyTo: question.message.id, attachmentId: mine.id, messageType: 'file' }),
      as({ content: 'reply to elsewhere', replyTo: away.message.id }),
      as({ content: "bob's upload", attachmentId: bobs.id, messageType: 'file' }),
      as({ content: 'the same upload again', attachmentId: mine.id, messageType: 'file' }),
      as({ messageType: 'location', location: { latitude: 52.52, longitude: 13.405, name: 'Berlin' } }),
    ]);
    const [first, withFile, replyElsewhere, notMine, usedTwice, located] = outcomes;
    expect(first).toMatchObject({ status: 'fulfilled', value: { message: { seq: 2 } } });
    expect(withFile).toMatchObject({
      status: 'fulfilled',
      value: {
        created: true,
        message: {
          seq: 3,
          replyTo: { id: question.message.id, senderId: bob!.id, senderName: bob!.name, content: 'Where is the plan?' },
          attachment: { id: mine.id, fileName: 'plan.pdf', mimeType: 'application/pdf', size: 1234, url: `/api/attachments/${mine.id}` },
          sender: { id: alice!.id, username: alice!.username },
        },
      },
    });
    expect(replyElsewhere).toMatchObject({ status: 'rejected', reason: { code: 'bad_request', message: expect.stringContaining('replyTo') } });
    expect(notMine).toMatchObject({ status: 'rejected', reason: { code: 'bad_request', message: 'attachmentId: upload the file first.' } });
    expect(usedTwice).toMatchObject({ status: 'rejected', reason: { code: 'bad_request', message: 'attachmentId: that upload is already in a message.' } });
    expect(located).toMatchObject({ status: 'fulfilled', value: { message: { seq: 4, location: { latitude: 52.52, longitude: 13.405, name: 'Berlin' } } } });

    // What history reads is what the send answered.
    const { listMessages } = await import('@/lib/chat/messages');
    const page = await listMessages(handle.db, bob!.id, conversation.id, { limit: 10 });
    expect(page.messages).toEqual([question.message, ...[first, withFile, located].map((o) => (o as PromiseFulfilledResult<Awaited<ReturnType<typeof send>>>).value.message)]);
    expect((await handle.db.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).lastSeq).toBe(4n);
  });

  it('retries a batch that fails as a whole entry by entry: one poisoned entry fails alone', async () => {
    const users = await Promise.all(Array.from({ length: 7 }, () => createUser(handle.db)));
    const conversations = await Promise.all(users.slice(1).map((user) => groupOf([user, users[0]!])));
    // Past the input schema (which refuses NUL): what the database itself refuses.
    const poisoned = { conversationId: conversations[0]!.id, content: 'bad \u0000 byte', messageType: 'text' } as SendMessageInput;
    const outcomes = await Promise.allSettled([
      send(users[1]!.id, conversations[0]!.id, 'opens the batch'),
      ...users.slice(1).flatMap((user, i) => [send(user.id, conversations[i]!.id, `a from ${i}`), send(user.id, conversations[i]!.id, `b from ${i}`)]),
      sendMessage(handle.db, users[1]!.id, poisoned),
      ...users.slice(1).map((user, i) => send(user.id, conversations[i]!.id, `c from ${i}`)),
    ]);
    const bad = outcomes[13]!;
    expect(bad).toMatchObject({ status: 'rejected', reason: { code: 'bad_request', message: expect.any(String) } });
    const others = outcomes.filter((_, i) => i !== 13);
    expect(others.filter((o) => o.status === 'rejected')).toEqual([]);
    // Every conversation numbered without a gap, in the order sent.
    for (const [i, conversation] of conversations.entries()) {
      const stored = await handle.db.message.findMany({ where: { conversationId: conversation.id }, orderBy: { seq: 'asc' } });
      const expected = [...(i === 0 ? ['opens the batch'] : []), `a from ${i}`, `b from ${i}`, `c from ${i}`];
      expect(stored.map((m) => m.content)).toEqual(expected);
      expect(stored.map((m) => Number(m.seq))).toEqual(expected.map((_, n) => n + 1));
    }
  });

  it('drainMessageWriter resolves once every send queued before it is answered', async () => {
    const [alice, bob] = await Promise.all([createUser(handle.db), createUser(handle.db)]);
    const conversation = await groupOf([alice!, bob!]);
    const answered: number[] = [];
    const sends = Array.from({ length: 20 }, (_, i) => send(alice!.id, conversation.id, `queued ${i}`).then(() => answered.push(i)));
    await drainMessageWriter(handle.db);
    expect(answered).toHaveLength(20);
    await Promise.all(sends);
    // Nothing queued: at once.
    await drainMessageWriter(handle.db);
  });

  it.runIf(testDatabaseKind === 'postgres')('two writers on one database (two nodes) keep every seq gap-free, racing retries included', async () => {
    const other = await openDatabase({ kind: 'postgres', url: handle.url!, poolSize: 4 });
    try {
      const [alice, bob] = await Promise.all([createUser(handle.db), createUser(handle.db)]);
      const [one, two] = [await groupOf([alice!, bob!]), await groupOf([alice!, bob!])];
      const on = (db: DatabaseHandle['db'], senderId: string, conversationId: string, content: string, clientId?: string) =>
        sendMessage(db, senderId, sendMessageInput.parse({ conversationId, content, clientId }));
      for (let round = 0; round < 5; round += 1) {
        // The same client id on both writers at once (a retry that reached another node), then a
        // burst on both into both conversations.
        const clientId = `retried-${round}`;
        const outcomes = await Promise.allSettled([
          on(handle.db, alice!.id, one.id, 'retried', clientId),
          on(other.db, alice!.id, one.id, 'retried', clientId),
          ...Array.from({ length: 16 }, (_, i) => on(i % 2 ? other.db : handle.db, i % 4 ? bob!.id : alice!.id, i % 3 ? one.id : two.id, `m${i}`)),
        ]);
        expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
        const [first, second] = outcomes.map((o) => (o as PromiseFulfilledResult<Awaited<ReturnType<typeof on>>>).value);
        expect(second!.message.id).toBe(first!.message.id);
        expect([first!.created, second!.created].sort()).toEqual([false, true]);
        expect(await handle.db.message.count({ where: { clientId } })).toBe(1);
      }
      for (const conversation of [one, two]) {
        const seqs = (await handle.db.message.findMany({ where: { conversationId: conversation.id }, orderBy: { seq: 'asc' } })).map((m) => Number(m.seq));
        expect(seqs).toEqual(seqs.map((_, n) => n + 1));
        expect((await handle.db.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).lastSeq).toBe(BigInt(seqs.length));
      }
    } finally {
      await other.close();
    }
  });

  it.runIf(testDatabaseKind === 'postgres')('prepares the batch statement once per connection and reuses it', async () => {
    const [alice, bob] = await Promise.all([createUser(handle.db), createUser(handle.db)]);
    const conversation = await groupOf([alice!, bob!]);
    // Per connection; pg replaces a connection after some errors, so count from here.
    const uses = async () => {
      const rows = await handle.db.$queryRaw<{ uses: number }[]>`
        SELECT (generic_plans + custom_plans)::int AS uses FROM pg_prepared_statements WHERE name = 'send-message-batch'`;
      expect(rows.length).toBeLessThanOrEqual(1);
      return rows[0]?.uses ?? 0;
    };
    const before = await uses();
    for (let i = 0; i < 3; i += 1) await send(alice!.id, conversation.id, `one at a time ${i}`);
    // Three batches, each through the one prepared statement of this connection.
    expect(await uses()).toBe(before + 3);
  });
});
