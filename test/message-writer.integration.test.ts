// The batch writer (lib/chat/message-writer.ts) on a real database: sends that arrive together
// share one statement, yet each gets its own answer; on PostgreSQL the statement is prepared once
// per connection and reused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/lib/db/open';
import { createConversation } from '@/lib/chat/conversations';
import { sendMessage } from '@/lib/chat/messages';
import { sendMessageInput, type UserDto } from '@/lib/protocol';
import { createTestDatabase, testDatabaseKind } from './helpers/database';
import { createUser, uniqueName } from './helpers/factories';

let handle: DatabaseHandle;
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

    // Stored once each, and the conversation points at the newest.
    const stored = await handle.db.message.findMany({ where: { conversationId: conversation.id }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    expect(stored).toHaveLength(41);
    expect(stored.some((m) => m.senderId === stranger!.id)).toBe(false);
    const row = await handle.db.conversation.findUniqueOrThrow({ where: { id: conversation.id } });
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
