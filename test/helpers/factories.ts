// Factories that make unique data, so test files run in parallel against shared servers.
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { Db } from '@/lib/db/open';
import { registerUser } from '@/lib/chat/users';
import { issueToken } from '@/lib/auth/tokens';
import { CHAT_NAMESPACE, type ClientToServerEvents, type ServerToClientEvents, type UserDto } from '@/lib/protocol';
import type { Config } from '@/lib/config';

export type ChatClient = Socket<ServerToClientEvents, ClientToServerEvents>;

let counter = 0;
export function uniqueName(prefix = 'u'): string {
  counter += 1;
  return `${prefix}${counter}_${randomUUID().slice(0, 8)}`.toLowerCase();
}

export const TEST_PASSWORD = 'correct horse battery';

export async function createUser(db: Db, overrides: { username?: string; name?: string; password?: string } = {}): Promise<UserDto> {
  const username = overrides.username ?? uniqueName('user');
  return registerUser(db, {
    email: `${username}@example.test`,
    username,
    password: overrides.password ?? TEST_PASSWORD,
    name: overrides.name ?? username,
  });
}

export async function tokenFor(config: Config, user: UserDto): Promise<string> {
  const { token } = await issueToken({ sub: user.id, username: user.username, name: user.name }, config.authSecret, 3600);
  return token;
}

/**
 * A socket.io client on /chat; resolves once connected, rejects with the connect_error.
 * `beforeConnect` attaches listeners first, for events the server sends right after the handshake
 * (they can arrive in the same read as the handshake's answer, before the caller hears "connect").
 */
export function connectClient(url: string, token: string | undefined, beforeConnect?: (socket: ChatClient) => void): Promise<ChatClient> {
  const socket: ChatClient = io(url + CHAT_NAMESPACE, {
    auth: token === undefined ? {} : { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    autoConnect: false,
  });
  beforeConnect?.(socket);
  socket.connect();
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Resolves with the next payload of an event (or rejects after a timeout). */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: ChatClient,
  event: E,
  timeoutMs = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler as never);
      reject(new Error(`timed out waiting for ${String(event)}`));
    }, timeoutMs);
    const handler = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      clearTimeout(timer);
      resolve(payload);
    };
    socket.once(event, handler as never);
  });
}

export async function postJson(url: string, body: unknown, token?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as Record<string, unknown> | null };
}
