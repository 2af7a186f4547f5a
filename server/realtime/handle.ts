// The one path every client event takes: spend the user's budget for the action, validate the
// payload, run the handler, and answer through the acknowledgement — or, when the client gave
// none, with an `error` event. A bad payload or a failing handler never breaks the socket.
// One user's handlers run one at a time (on this node): a burst that the budget lets through
// waits its turn instead of queueing ahead of everyone else's work in the database.
// It also knows which handlers are running, so a shutdown can stop taking events and wait for
// the ones in flight to answer before the sockets close.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { toErrorBody } from '@/lib/errors';
import type { Logger } from '@/lib/logger';
import { parseInput } from '@/lib/validation';
import { spend, type BudgetAction, type Budgets } from '@/lib/chat/budgets';
import type { ClientToServerEvents } from '@/lib/protocol';
import type { ChatSocket } from './types';
import { getMetrics } from '@/lib/observability/metrics';
import { inLogScope } from '@/lib/observability/request-scope';

type AckOf<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[1];
type AckData<E extends keyof ClientToServerEvents> =
  NonNullable<AckOf<E>> extends (response: infer R) => void ? Omit<Extract<R, { ok: true }>, 'ok'> : never;

/**
 * Handlers of one user running at once on a node; more wait in line. One: on PGlite a handler's
 * queries run back to back without reading the network in between, so each concurrent handler of
 * a flooding user lengthens everyone's stall (4 at once: others' p99 1-7 s; one: 0.25-0.4 s).
 */
const HANDLERS_PER_USER = 1;

export class SocketEvents {
  private readonly running = new Set<Promise<void>>();
  private readonly turns = new Map<string, { running: number; waiting: (() => void)[] }>();
  private accepting = true;

  constructor(
    private readonly logger: Logger,
    private readonly budgets: Budgets,
  ) {}

  on<E extends keyof ClientToServerEvents, S extends z.ZodType>(
    socket: ChatSocket,
    event: E,
    action: BudgetAction,
    schema: S,
    handler: (input: z.output<S>) => Promise<AckData<E>>,
  ): void {
    const metrics = getMetrics();
    const run = async (payload: unknown, respond: ((response: unknown) => void) | null) => {
      try {
        await spend(this.budgets, socket.data.userId, action);
        const input = parseInput(schema, payload);
        const data = await this.inTurn(socket.data.userId, () => handler(input));
        metrics.socketEvents.inc({ event, outcome: 'ok' });
        respond?.({ ok: true, ...data });
      } catch (error) {
        const body = toErrorBody(error);
        metrics.socketEvents.inc({ event, outcome: body.code });
        metrics.errors.inc({ code: body.code, source: 'socket' });
        if (body.code === 'internal') this.logger.error({ err: error, event, userId: socket.data.userId }, 'socket event failed');
        if (respond) respond({ ok: false, error: body });
        else socket.emit('error', body);
      }
    };
    const listener = (payload: unknown, ack?: unknown) => {
      // Shutting down: the event is not taken, and not answered either. The socket closes
      // shortly, and a client resends what its connection lost once it has reconnected.
      if (!this.accepting) return;
      // Each event is a request of its own: its log lines carry a new id, the socket and the user.
      const scope = { reqId: randomUUID(), socketId: socket.id, userId: socket.data.userId, event };
      const done = inLogScope(scope, () => run(payload, typeof ack === 'function' ? (ack as (response: unknown) => void) : null));
      this.running.add(done);
      void done.finally(() => this.running.delete(done));
    };
    socket.on(event, listener as never);
  }

  private async inTurn<T>(userId: string, work: () => Promise<T>): Promise<T> {
    let turn = this.turns.get(userId);
    if (!turn) this.turns.set(userId, (turn = { running: 0, waiting: [] }));
    if (turn.running >= HANDLERS_PER_USER) await new Promise<void>((resolve) => turn.waiting.push(resolve));
    else turn.running += 1;
    try {
      return await work();
    } finally {
      // The slot passes to the next in line, or is given back. Passed on after pending I/O, so
      // other users' events are read in between (PGlite runs queries in microtasks: a backlog
      // resumed at once would keep the event loop from reading anything until it is done).
      const next = turn.waiting.shift();
      if (next) setImmediate(next);
      else if (--turn.running === 0) this.turns.delete(userId);
    }
  }

  /** Takes no more events; resolves once every handler in flight has answered (or the deadline passed). */
  async stop(deadline: Promise<void>): Promise<void> {
    this.accepting = false;
    while (this.running.size > 0) {
      const settled = await Promise.race([Promise.allSettled([...this.running]).then(() => true), deadline.then(() => false)]);
      if (!settled) {
        this.logger.warn({ handlers: this.running.size }, 'shutdown: handlers still running at the deadline');
        return;
      }
    }
  }
}
