// The browser's one connection to the chat: the socket, its connection state, the outbox and
// receipts, and what happens on reconnect (catch up on missed messages, resend pending ones).
// Components reach it through useChatClient(); it holds no React state itself.
import type { QueryClient } from '@tanstack/react-query';
import type { UserSummary } from '../protocol';
import { catchUp, historyCursors } from './catch-up';
import { cacheDeletedMessage, cacheEditedMessage } from './chat-cache';
import { persistOutbox } from './outbox-persistence';
import { createOutboxSender, type OutboxSender } from './outbox-sender';
import { createReceiptSender, type ReceiptSender } from './receipt-sender';
import { bindSocketEvents } from './socket-events';
import { AckTimeoutError, createChatSocket, emitWithAck, type ChatSocket } from './socket';
import { useConnectionStore } from './stores/connection';
import { useTypingStore } from './stores/typing';

const ACTION_TIMEOUT_MS = 10_000;
const SERVER_HANGUP_RETRY_MS = 2000;

/** Edits and deletions need the server now: no queueing them while offline. */
async function act<E extends 'editMessage' | 'deleteMessage'>(socket: ChatSocket, event: E, payload: Parameters<typeof emitWithAck<E>>[2]) {
  if (!socket.connected) throw new Error('You are offline. Try again once connected.');
  try {
    const ack = await emitWithAck(socket, event, payload, ACTION_TIMEOUT_MS);
    if (!ack.ok) throw new Error(ack.error.message);
    return ack;
  } catch (error) {
    if (error instanceof AckTimeoutError) throw new Error('The server did not answer. Try again.');
    throw error;
  }
}

export type ChatClient = OutboxSender &
  Pick<ReceiptSender, 'markRead' | 'markDelivered'> & {
    socket: ChatSocket;
    me: UserSummary;
    setTyping: (conversationId: string, isTyping: boolean) => void;
    /** Rejects with the server's message when refused. */
    editMessage: (messageId: string, content: string) => Promise<void>;
    deleteMessage: (conversationId: string, messageId: string) => Promise<void>;
    close: () => void;
  };

export function createChatClient(qc: QueryClient, me: UserSummary): ChatClient {
  const socket = createChatSocket(undefined, { autoConnect: false, reconnectionDelayMax: 5000 });
  const stopPersisting = persistOutbox(me.id);
  const outbox = createOutboxSender(socket, qc, me);
  const receipts = createReceiptSender(socket, qc, me);
  const unbindEvents = bindSocketEvents(socket, qc, me, receipts);
  const status = useConnectionStore.getState().setStatus;
  let connectedBefore = false;

  // Every connect, the first included: what was loaded over REST before the socket joined its
  // rooms (or while it was away) may have missed messages, so catch up from where each history ends.
  socket.on('connect', () => {
    status('online');
    // Taken now, before this connection's live events move the newest ids past the gap.
    const cursors = historyCursors(qc);
    if (connectedBefore) {
      useTypingStore.getState().clearAll();
      receipts.reset();
    }
    connectedBefore = true;
    outbox.flush();
    void catchUp(qc, cursors, me.id).then((newest) => {
      for (const [conversationId, messageId] of newest) receipts.markDelivered(conversationId, messageId);
    });
  });

  socket.on('disconnect', (reason) => {
    status(navigator.onLine ? 'reconnecting' : 'offline');
    // Socket.IO does not come back by itself after the server hung up; a failed handshake then
    // says "unauthorized" if that was the reason.
    if (reason === 'io server disconnect') setTimeout(() => socket.connect(), SERVER_HANGUP_RETRY_MS);
  });
  socket.on('connect_error', (error) => {
    // The session ended (signed out elsewhere, expired): only signing in again helps.
    if (error.message === 'unauthorized') window.location.assign('/login');
    else status(navigator.onLine ? (connectedBefore ? 'reconnecting' : 'connecting') : 'offline');
  });

  // The browser knows about a lost network long before a heartbeat times out: drop the
  // connection at once (sends then wait in the outbox), and reconnect as soon as it is back.
  const onOffline = () => {
    status('offline');
    socket.io.engine?.close();
  };
  const onOnline = () => {
    if (socket.connected) return;
    status('reconnecting');
    socket.disconnect().connect();
  };
  window.addEventListener('offline', onOffline);
  window.addEventListener('online', onOnline);

  socket.connect();

  return {
    ...outbox,
    markRead: receipts.markRead,
    markDelivered: receipts.markDelivered,
    socket,
    me,
    setTyping(conversationId, isTyping) {
      if (socket.connected) socket.emit('typing', { conversationId, isTyping }, () => {});
    },
    async editMessage(messageId, content) {
      const ack = await act(socket, 'editMessage', { messageId, content });
      if ('message' in ack) cacheEditedMessage(qc, ack.message);
    },
    async deleteMessage(conversationId, messageId) {
      await act(socket, 'deleteMessage', { messageId });
      cacheDeletedMessage(qc, conversationId, messageId);
    },
    close() {
      stopPersisting();
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      unbindEvents();
      socket.removeAllListeners();
      socket.disconnect();
    },
  };
}
