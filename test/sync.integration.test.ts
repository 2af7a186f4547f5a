// POST /api/sync through the whole server: the conversation list plus, per conversation named,
// what is newer than the seq the client holds; only conversations the user is still in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendMessage } from '@/lib/chat/messages';
import { removeParticipant } from '@/lib/chat/conversations';
import { LIMITS, sendMessageInput, type MessageDto } from '@/lib/protocol';
import { startTestServer, type TestServer } from './helpers/server';
import { api, groupChat, makeMembers, privateChat, type Member } from './helpers/chat';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const NO_SUCH_ID = '01900000-0000-7000-8000-000000000000';

async function post(member: Member, count: number, conversationId: string, prefix: string): Promise<MessageDto[]> {
  const sent: MessageDto[] = [];
  for (let i = 0; i < count; i += 1) {
    const input = sendMessageInput.parse({ conversationId, content: `${prefix} ${i}` });
    sent.push((await sendMessage(server.context.db, member.user.id, input)).message);
  }
  return sent;
}

const sync = (member: Member, conversations: Record<string, number>) => api(server, member.token, 'POST', '/api/sync', { conversations });

describe('POST /api/sync', () => {
  it('answers the conversation list and, per conversation named, the messages after its seq, oldest first', async () => {
    const [alice, bob, carol] = await makeMembers(server, 3);
    const busy = await groupChat(server, alice!, [bob!, carol!], 'Busy');
    const quiet = await privateChat(server, alice!, bob!);
    const unnamed = await privateChat(server, alice!, carol!);
    const busyMessages = await post(bob!, 5, busy.id, 'busy');
    await post(bob!, 2, quiet.id, 'quiet');
    await post(carol!, 1, unnamed.id, 'unnamed');

    const { status, body } = await sync(alice!, { [busy.id]: 2, [quiet.id]: 2, [NO_SUCH_ID]: 0 });
    expect(status).toBe(200);
    // The list, exactly as GET /api/conversations gives it.
    const list = await api(server, alice!.token, 'GET', '/api/conversations');
    expect(body.conversations).toEqual(list.body.conversations);
    // Named ones only; up to date is an empty page; unknown ids are left out.
    expect(Object.keys(body.messages).sort()).toEqual([busy.id, quiet.id].sort());
    expect(body.messages[busy.id]).toEqual({ messages: busyMessages.slice(2), hasMore: false });
    expect(body.messages[busy.id].messages.map((m: MessageDto) => m.seq)).toEqual([3, 4, 5]);
    expect(body.messages[quiet.id]).toEqual({ messages: [], hasMore: false });
  });

  it(`pages at ${LIMITS.syncMessagesPerConversation} messages per conversation with hasMore`, { timeout: 60_000 }, async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const conversation = await privateChat(server, alice!, bob!);
    const sent = await post(bob!, LIMITS.syncMessagesPerConversation + 5, conversation.id, 'many');

    const first = await sync(alice!, { [conversation.id]: 0 });
    const page = first.body.messages[conversation.id];
    expect(page.hasMore).toBe(true);
    expect(page.messages.map((m: MessageDto) => m.id)).toEqual(sent.slice(0, LIMITS.syncMessagesPerConversation).map((m) => m.id));
    const next = await sync(alice!, { [conversation.id]: page.messages.at(-1).seq });
    expect(next.body.messages[conversation.id]).toEqual({ messages: sent.slice(LIMITS.syncMessagesPerConversation), hasMore: false });
  });

  it('leaves out a conversation the user is no longer in, and other people’s conversations', async () => {
    const [alice, bob, mallory] = await makeMembers(server, 3);
    const group = await groupChat(server, alice!, [bob!, mallory!], 'Leaving');
    const secret = await privateChat(server, alice!, bob!);
    await post(alice!, 2, group.id, 'before');
    await removeParticipant(server.context.db, mallory!.user.id, group.id, mallory!.user.id);
    await post(alice!, 2, group.id, 'after');
    await post(alice!, 2, secret.id, 'secret');

    const { status, body } = await sync(mallory!, { [group.id]: 0, [secret.id]: 0 });
    expect(status).toBe(200);
    expect(body.messages).toEqual({});
    expect(body.conversations).toEqual([]);
    expect(JSON.stringify(body)).not.toContain('secret');
  });

  it('many conversations in one request', async () => {
    const [alice, ...others] = await makeMembers(server, 13);
    const conversations = await Promise.all(others.map((other) => privateChat(server, alice!, other)));
    for (const [i, conversation] of conversations.entries()) await post(others[i]!, 2, conversation.id, `from ${i}`);
    const { body } = await sync(alice!, Object.fromEntries(conversations.map((c) => [c.id, 1])));
    expect(body.conversations).toHaveLength(12);
    for (const [i, conversation] of conversations.entries()) {
      expect(body.messages[conversation.id].messages.map((m: MessageDto) => [m.content, m.seq])).toEqual([[`from ${i} 1`, 2]]);
    }
  });

  it('refuses bad input with 400 and answers 401 without a credential', async () => {
    const [alice] = await makeMembers(server, 1);
    for (const body of [{ conversations: { 'not-an-id': 1 } }, { conversations: { [NO_SUCH_ID]: -1 } }, { conversations: { [NO_SUCH_ID]: 1.5 } }, { conversations: [] }]) {
      const response = await api(server, alice!.token, 'POST', '/api/sync', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.code).toBe('bad_request');
    }
    // No cursors: the list alone.
    expect((await api(server, alice!.token, 'POST', '/api/sync', {})).body).toEqual({ conversations: [], left: [], messages: {} });
    expect((await api(server, undefined, 'POST', '/api/sync', { conversations: {} })).status).toBe(401);
  });
});
