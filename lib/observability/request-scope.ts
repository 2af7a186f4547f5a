// A request id for every log line written while a request or a socket event is handled: the
// custom server runs each in a scope (AsyncLocalStorage) and the logger adds the scope's fields
// to each line (lib/logger.ts), so services logging through the shared logger need not pass a
// child logger down. The scope lives on globalThis: route handlers (a separate Next bundle) read
// the one the custom server opened.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What every log line in the scope carries: `reqId`, and for socket events the socket, user and event. */
export type LogScope = { reqId: string; [field: string]: string };

const holder = globalThis as typeof globalThis & { [key: symbol]: AsyncLocalStorage<LogScope> | undefined };
const KEY = Symbol.for('parley.logScope');
const storage: AsyncLocalStorage<LogScope> = (holder[KEY] ??= new AsyncLocalStorage<LogScope>());

/** An id a proxy sent (X-Request-Id) is kept when it looks like one; anything else gets a new id. */
const FORWARDED_ID = /^[\w.:-]{8,128}$/;

export function requestIdFrom(forwarded: string | string[] | undefined): string {
  return typeof forwarded === 'string' && FORWARDED_ID.test(forwarded) ? forwarded : randomUUID();
}

export function inLogScope<T>(scope: LogScope, work: () => T): T {
  return storage.run(scope, work);
}

/** The fields of the scope running now (none outside a request or socket event). */
export function currentLogScope(): LogScope | undefined {
  return storage.getStore();
}
