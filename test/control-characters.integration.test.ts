// Issue 11, finding 2: a NUL byte (or another control character) from one user used to be a 500
// on REST and, in the batch writer, failed other people's sends. Every string a client sends is
// now refused with a 400 `bad_request` that names the field, on every path, and nothing is stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitWithAck } from '@/lib/client/socket';
import { startTestServer, type TestServer } from './helpers/server';
import { uniqueName } from './helpers/factories';
import { api, connect, groupChat, makeMembers, privateChat } from './helpers/chat';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const NUL = '\u0000';

describe('control characters in client strings', () => {
  it('refuses them in message content over REST and the socket, and stores nothing', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const chat = await privateChat(server, alice!, bob!);
    const rest = await api(server, alice!.token, 'POST', `/api/conversations/${chat.id}/messages`, { content: `a${NUL}b` });
    expect(rest.status).toBe(400);
    expect(rest.body.error).toMatchObject({ code: 'bad_request', message: expect.stringContaining('content') });

    const socket = await connect(server, alice!);
    try {
      const ack = await emitWithAck(socket, 'sendMessage', { conversationId: chat.id, content: `bell\u0007` });
      expect(ack).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      // Tab and newlines are text, not control characters, in a message.
      const fine = await emitWithAck(socket, 'sendMessage', { conversationId: chat.id, content: 'one\ttwo\r\nthree' });
      expect(fine).toMatchObject({ ok: true, message: { content: 'one\ttwo\r\nthree' } });
    } finally {
      socket.disconnect();
    }
    const history = await api(server, bob!.token, 'GET', `/api/conversations/${chat.id}/messages`);
    expect(history.body.messages.map((m: { content: string }) => m.content)).toEqual(['one\ttwo\r\nthree']);
  });

  it('refuses them in an edit, a group name, a rename and a search', async () => {
    const [alice, bob] = await makeMembers(server, 2);
    const group = await groupChat(server, alice!, [bob!]);
    const sent = await api(server, alice!.token, 'POST', `/api/conversations/${group.id}/messages`, { content: 'hello' });
    expect(sent.status).toBe(201);

    const edit = await api(server, alice!.token, 'PATCH', `/api/messages/${sent.body.message.id}`, { content: `x${NUL}` });
    expect(edit.status).toBe(400);
    const created = await api(server, alice!.token, 'POST', '/api/conversations', { type: 'group', name: `Ops${NUL}`, participantIds: [bob!.user.id] });
    expect(created.status).toBe(400);
    expect(created.body.error.message).toContain('name');
    const renamed = await api(server, alice!.token, 'PATCH', `/api/conversations/${group.id}`, { name: `Team\n2` });
    expect(renamed.status).toBe(400);
    const search = await api(server, alice!.token, 'GET', `/api/conversations/${group.id}/search?q=${encodeURIComponent(`hel${NUL}`)}`);
    expect(search.status).toBe(400);

    const after = await api(server, alice!.token, 'GET', `/api/conversations/${group.id}`);
    expect(after.body.conversation.name).toBe(group.name);
  });

  it('refuses them in sign-up (display name, username, password) and sign-in', async () => {
    const username = uniqueName('ctl');
    const base = { email: `${username}@example.test`, username, password: 'correct horse battery', name: 'Carol' };
    for (const body of [
      { ...base, name: `Car${NUL}ol` },
      { ...base, username: `${username}${NUL}` },
      { ...base, password: `correct horse${NUL}battery` },
    ]) {
      const response = await api(server, undefined, 'POST', '/api/auth/register', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.code).toBe('bad_request');
    }
    const token = await api(server, undefined, 'POST', '/api/auth/token', { username: `${username}${NUL}`, password: 'x' });
    expect(token.status).toBe(400);
    // None of the refused sign-ups made an account.
    const created = await api(server, undefined, 'POST', '/api/auth/register', base);
    expect(created.status).toBe(201);
  });
});
