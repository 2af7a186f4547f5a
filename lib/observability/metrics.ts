// Prometheus metrics (prom-client), one registry per process. Next bundles route handlers apart
// from the custom server, so this module (and prom-client) can be loaded twice: the registry and
// its metrics live on globalThis, and whichever copy asks first creates them for both. REST sends
// (route handlers) and socket sends (custom server) thus count in the same series.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type Metrics = ReturnType<typeof createMetrics>;

function createMetrics() {
  const registry = new Registry();
  // Event-loop lag, GC pauses, heap and resident memory, CPU, open handles (prom-client's set).
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  // One socket write per delivery: tallied in a plain map, added to the counter when scraped
  // (a labelled inc costs a label lookup, and this runs 20 000 times a second under load).
  const deliveryTally = new Map<string, number>();
  return {
    registry,
    connectedSockets: new Gauge({
      name: 'parley_connected_sockets',
      help: 'Sockets connected to this node on the /chat namespace.',
      registers,
    }),
    socketEvents: new Counter({
      name: 'parley_socket_events_total',
      help: 'Client events received on sockets, by event and outcome (ok or the error code).',
      labelNames: ['event', 'outcome'] as const,
      registers,
    }),
    deliveries: new Counter({
      name: 'parley_socket_deliveries_total',
      help: 'Server events written to sockets on this node (each recipient socket counts), by event.',
      labelNames: ['event'] as const,
      registers,
      collect() {
        for (const [event, count] of deliveryTally) this.inc({ event }, count);
        deliveryTally.clear();
      },
    }),
    countDelivery(event: string): void {
      deliveryTally.set(event, (deliveryTally.get(event) ?? 0) + 1);
    },
    messagesPersisted: new Counter({
      name: 'parley_messages_persisted_total',
      help: 'Messages stored by the batch writer.',
      registers,
    }),
    writeBatchSize: new Histogram({
      name: 'parley_message_write_batch_size',
      help: 'Sends per batch the message writer wrote in one statement.',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers,
    }),
    writeBatchSeconds: new Histogram({
      name: 'parley_message_write_batch_duration_seconds',
      help: 'Time to write one batch of messages and answer its sends.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    pushSends: new Counter({
      name: 'parley_push_sends_total',
      help: 'Web Push sends by outcome: sent, retry (tried again later), gone (404/410, subscription deleted), rejected, gave-up, skipped (unsubscribed meanwhile).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    errors: new Counter({
      name: 'parley_errors_total',
      help: 'Errors answered to clients, by error code (lib/errors.ts) and where (http or socket).',
      labelNames: ['code', 'source'] as const,
      registers,
    }),
  };
}

const holder = globalThis as typeof globalThis & { [key: symbol]: Metrics | undefined };
const KEY = Symbol.for('parley.metrics');

export function getMetrics(): Metrics {
  return (holder[KEY] ??= createMetrics());
}
