// The one path every client event takes: validate the payload, run the handler, and answer
// through the acknowledgement — or, when the client gave none, with an `error` event. A bad
// payload or a failing handler never breaks the socket.
import type { z } from 'zod';
import { toErrorBody } from '@/lib/errors';
import type { Logger } from '@/lib/logger';
import { parseInput } from '@/lib/validation';
import type { ClientToServerEvents } from '@/lib/protocol';
import type { ChatSocket } from './types';

type AckOf<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[1];
type AckData<E extends keyof ClientToServerEvents> =
  NonNullable<AckOf<E>> extends (response: infer R) => void ? Omit<Extract<R, { ok: true }>, 'ok'> : never;

export function onEvent<E extends keyof ClientToServerEvents, S extends z.ZodType>(
  socket: ChatSocket,
  logger: Logger,
  event: E,
  schema: S,
  handler: (input: z.output<S>) => Promise<AckData<E>>,
): void {
  const listener = async (payload: unknown, ack?: unknown) => {
    const respond = typeof ack === 'function' ? (ack as (response: unknown) => void) : null;
    try {
      const data = await handler(parseInput(schema, payload));
      respond?.({ ok: true, ...data });
    } catch (error) {
      const body = toErrorBody(error);
      if (body.code === 'internal') logger.error({ err: error, event, userId: socket.data.userId }, 'socket event failed');
      if (respond) respond({ ok: false, error: body });
      else socket.emit('error', body);
    }
  };
  socket.on(event, listener as never);
}
