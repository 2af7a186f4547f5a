// Set-up helpers for chat tests: signed-in users with sockets, and conversations between them.
import { createConversation } from '@/lib/chat/conversations';
import type { ConversationDto, UserDto } from '@/lib/protocol';
import { connectClient, createUser, tokenFor, type ChatClient } from './factories';
import type { TestServer } from './server';

export type Member = { user: UserDto; token: string };

export async function makeMembers(server: TestServer, count: number): Promise<Member[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const user = await createUser(server.context.db);
      return { user, token: await tokenFor(server.config, user) };
    }),
  );
}

export async function connect(server: TestServer, member: Member): Promise<ChatClient> {
  return connectClient(server.url, member.token);
}

export async function privateChat(server: TestServer, a: Member, b: Member): Promise<ConversationDto> {
  const { conversation } = await createConversation(server.context.db, a.user.id, { type: 'private', participantIds: [b.user.id] });
  return conversation;
}

export async function groupChat(server: TestServer, admin: Member, others: Member[], name = 'Team'): Promise<ConversationDto> {
  const { conversation } = await createConversation(server.context.db, admin.user.id, {
    type: 'group',
    name,
    participantIds: others.map((m) => m.user.id),
  });
  return conversation;
}

/** Collects every payload of an event on a socket. */
export function collect<T>(socket: ChatClient, event: string): T[] {
  const seen: T[] = [];
  socket.on(event as never, ((payload: T) => seen.push(payload)) as never);
  return seen;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until a condition holds (or fails after the timeout). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

export async function api(server: TestServer, token: string | undefined, method: string, path: string, body?: unknown) {
  const response = await fetch(server.url + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}
