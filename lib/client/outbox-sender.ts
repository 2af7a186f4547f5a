// Sending with an optimistic copy: the message shows at once as pending, is sent with a clientId
// (so a retry can never duplicate it), and is resent after a reconnect until the server answers.
// A refusal marks it failed, with the reason, for the user to retry or discard.
import type { QueryClient } from '@tanstack/react-query';
import type { ReplyPreviewDto, UserSummary } from '../protocol';
import { cacheNewMessage } from './chat-cache';
import { newClientId } from './client-id';
import { AckTimeoutError, emitWithAck, type ChatSocket } from './socket';
import { useOutboxStore } from './stores/outbox';

const SEND_TIMEOUT_MS = 10_000;

export type OutboxSender = {
  send: (input: { conversationId: string; content: string; replyTo: ReplyPreviewDto | null }) => string;
  retry: (clientId: string) => void;
  discard: (clientId: string) => void;
  /** Resends everything still pending (after a reconnect). */
  flush: () => void;
};

export function createOutboxSender(socket: ChatSocket, qc: QueryClient, me: UserSummary): OutboxSender {
  const inFlight = new Set<string>();
  const outbox = () => useOutboxStore.getState();

  async function deliver(clientId: string): Promise<void> {
    const pending = outbox().messages[clientId];
    // Offline: stays pending; flush() sends it once the socket is back.
    if (!pending || inFlight.has(clientId) || !socket.connected) return;
    inFlight.add(clientId);
    try {
      const ack = await emitWithAck(
        socket,
        'sendMessage',
        {
          conversationId: pending.conversationId,
          content: pending.content,
          clientId,
          ...(pending.replyTo ? { replyTo: pending.replyTo.id } : {}),
        },
        SEND_TIMEOUT_MS,
      );
      if (ack.ok) {
        cacheNewMessage(qc, ack.message, me.id);
        outbox().remove(clientId);
      } else {
        outbox().setStatus(clientId, 'failed', ack.error.message);
      }
    } catch (error) {
      // Lost with the connection: the reconnect resends it. Connected but unanswered: let the user decide.
      if (error instanceof AckTimeoutError && socket.connected) outbox().setStatus(clientId, 'failed', 'Not delivered.');
    } finally {
      inFlight.delete(clientId);
    }
  }

  return {
    send({ conversationId, content, replyTo }) {
      const clientId = newClientId();
      outbox().add({ clientId, conversationId, content, replyTo, createdAt: new Date().toISOString(), status: 'pending' });
      void deliver(clientId);
      return clientId;
    },
    retry(clientId) {
      outbox().setStatus(clientId, 'pending');
      void deliver(clientId);
    },
    discard(clientId) {
      outbox().remove(clientId);
    },
    flush() {
      for (const message of Object.values(outbox().messages)) {
        if (message.status === 'pending') void deliver(message.clientId);
      }
    },
  };
}
