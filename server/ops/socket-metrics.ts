// Counts a socket on this node while it is connected, and every server event written to it:
// broadcasts from any node land here once per recipient socket (engine.io's packetCreate fires
// for each packet put on a connection), so deliveries count what really went out.
import { getMetrics } from '@/lib/observability/metrics';
import type { ChatSocket } from '../realtime/types';

/** A Socket.IO EVENT packet's payload: `2/chat,["name",…]` (an id may sit before the array). */
function eventNameOf(data: unknown): string | null {
  if (typeof data !== 'string' || data[0] !== '2') return null;
  const start = data.indexOf('["');
  if (start < 0) return null;
  const end = data.indexOf('"', start + 2);
  const name = data.slice(start + 2, end);
  // Only names the server itself emits look like this; anything else is not labelled by name.
  return /^[A-Za-z]{1,40}$/.test(name) ? name : 'other';
}

export function instrumentSocket(socket: ChatSocket): void {
  const metrics = getMetrics();
  metrics.connectedSockets.inc();
  socket.once('disconnect', () => metrics.connectedSockets.dec());
  socket.conn.on('packetCreate', (packet: { type: string; data?: unknown }) => {
    if (packet.type !== 'message') return;
    const event = eventNameOf(packet.data);
    if (event) metrics.countDelivery(event);
  });
}
