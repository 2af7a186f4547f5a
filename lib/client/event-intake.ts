// Every server event passes here before it touches the cache: parsed with its schema from the
// protocol (serverEventSchemas), then handed to its handler. A malformed event (a server bug, a
// server newer or older than this page) is logged with what was wrong and dropped: it never
// reaches the cache, and never breaks the page. Events this page has no handler for are ignored.
import { serverEventSchemas, type ServerEventName, type ServerEventPayload } from '../protocol';
import type { ChatSocket } from './socket';

export type ServerEventHandlers = { [E in ServerEventName]?: (payload: ServerEventPayload<E>) => void };

/** Takes one event (name and payload); returns whether it was handled. */
export type EventIntake = (event: string, payload: unknown) => boolean;

export function createEventIntake(handlers: ServerEventHandlers, warn: (...details: unknown[]) => void = console.warn): EventIntake {
  return (event, payload) => {
    if (!Object.hasOwn(handlers, event)) return false;
    const name = event as ServerEventName;
    const parsed = serverEventSchemas[name].safeParse(payload);
    if (!parsed.success) {
      warn(`chat: dropped a malformed "${name}" event`, parsed.error.issues);
      return false;
    }
    try {
      (handlers[name] as (payload: unknown) => void)(parsed.data);
    } catch (error) {
      // A bug in one handler must not stop the socket from delivering the next event.
      console.error(`chat: handling "${name}" failed`, error);
      return false;
    }
    return true;
  };
}

/** Feeds every event the socket receives to the intake; returns the function that stops it. */
export function feedIntake(socket: ChatSocket, intake: EventIntake): () => void {
  const listener = (event: string, payload?: unknown) => {
    intake(event, payload);
  };
  socket.onAny(listener);
  return () => {
    socket.offAny(listener);
  };
}
