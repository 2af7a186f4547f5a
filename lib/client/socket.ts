// The typed Socket.IO client for `/chat`, shared by the browser app, e2e tests and backend tests.
// It holds no React or app state: just the connection and a promise form of acknowledgements.
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { CHAT_NAMESPACE, type Ack, type ClientToServerEvents, type ServerToClientEvents } from '../protocol';

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type ChatSocketOptions = Partial<ManagerOptions & SocketOptions>;

/**
 * A socket on `/chat`. In the browser, leave `url` out: it connects to the page's origin and the
 * session cookie authenticates. Elsewhere pass the server's base url and `{ auth: { token } }`.
 */
export function createChatSocket(url?: string, options: ChatSocketOptions = {}): ChatSocket {
  const base = (url ?? '').replace(/\/+$/, '');
  return io(base + CHAT_NAMESPACE, { withCredentials: true, ...options });
}

/** Client events that take an acknowledgement callback as their second argument. */
export type AckedEvent = keyof ClientToServerEvents;

type EventPayload<E extends AckedEvent> = Parameters<ClientToServerEvents[E]>[0];
type EventAck<E extends AckedEvent> = Parameters<NonNullable<Parameters<ClientToServerEvents[E]>[1]>>[0];

/** The ack never came (server down, socket disconnected, or too slow). */
export class AckTimeoutError extends Error {
  constructor(event: string, timeoutMs: number) {
    super(`no acknowledgement for ${event} within ${timeoutMs} ms`);
    this.name = 'AckTimeoutError';
  }
}

/**
 * Emits an event and resolves with its acknowledgement (`{ ok: true, ... }` or
 * `{ ok: false, error }`); rejects with AckTimeoutError when none arrives in time.
 * Socket.IO buffers emits while disconnected, so the timeout also bounds waiting for a reconnect.
 */
export function emitWithAck<E extends AckedEvent>(
  socket: ChatSocket,
  event: E,
  payload: EventPayload<E>,
  timeoutMs = 10_000,
): Promise<EventAck<E>> {
  return new Promise((resolve, reject) => {
    const emitter = socket.timeout(timeoutMs) as unknown as {
      emit: (event: E, payload: EventPayload<E>, ack: (err: Error | null, response: EventAck<E>) => void) => void;
    };
    emitter.emit(event, payload, (err, response) => {
      if (err) reject(new AckTimeoutError(String(event), timeoutMs));
      else resolve(response);
    });
  });
}

/** Narrows an ack to its success shape. */
export function isOk<T extends object>(ack: Ack<T>): ack is { ok: true } & T {
  return ack.ok;
}
