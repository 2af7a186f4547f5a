// Every server event, applied where it belongs: server data into the React Query cache
// (setQueryData, never a refetch), live state (presence, typing) into the zustand stores.
import type { QueryClient } from '@tanstack/react-query';
import type { ServerToClientEvents, UserSummary } from '../protocol';
import {
  cacheConversation,
  cacheDeletedMessage,
  cacheEditedMessage,
  cacheNewMessage,
  cacheReceipt,
  getConversations,
  refresh,
  uncacheConversation,
} from './chat-cache';
import { queryKeys } from './query-keys';
import type { ReceiptSender } from './receipt-sender';
import type { ChatSocket } from './socket';
import { useAnnouncerStore } from './stores/announcer';
import { useOutboxStore } from './stores/outbox';
import { usePresenceStore } from './stores/presence';
import { useTypingStore } from './stores/typing';

type Handlers = { [E in keyof ServerToClientEvents]?: ServerToClientEvents[E] };

/** Binds the handlers; returns the function that unbinds them. */
export function bindSocketEvents(socket: ChatSocket, qc: QueryClient, me: UserSummary, receipts: ReceiptSender): () => void {
  const handlers: Handlers = {
    newMessage: ({ message }) => {
      const known = getConversations(qc)?.some((c) => c.id === message.conversationId);
      cacheNewMessage(qc, message, me.id);
      if (!known) void refresh(qc, queryKeys.conversations);
      useTypingStore.getState().setTyping(message.conversationId, { userId: message.senderId, username: message.sender.username }, false);
      if (message.senderId === me.id) {
        // Sent from another tab or device of mine, or the echo of my own send.
        if (message.clientId) useOutboxStore.getState().remove(message.clientId);
        return;
      }
      receipts.markDelivered(message.conversationId, message.id);
      useAnnouncerStore.getState().announce(`${message.sender.name}: ${message.deletedAt ? 'deleted message' : message.content || message.messageType}`);
    },
    messageEdited: ({ message }) => cacheEditedMessage(qc, message),
    messageDeleted: ({ conversationId, messageId }) => cacheDeletedMessage(qc, conversationId, messageId),
    messageRead: ({ conversationId, messageId, readBy, readAt }) =>
      cacheReceipt(qc, { conversationId, messageId, userId: readBy, kind: 'read', at: readAt }, me.id),
    messageDelivered: ({ conversationId, messageId, deliveredTo, deliveredAt }) =>
      cacheReceipt(qc, { conversationId, messageId, userId: deliveredTo, kind: 'delivered', at: deliveredAt }, me.id),
    userTyping: ({ conversationId, userId, username, isTyping }) => {
      if (userId !== me.id) useTypingStore.getState().setTyping(conversationId, { userId, username }, isTyping);
    },
    presenceState: ({ online }) => usePresenceStore.getState().replaceAll(online),
    userOnline: ({ userId }) => usePresenceStore.getState().setOnline(userId, true),
    userOffline: ({ userId }) => usePresenceStore.getState().setOnline(userId, false),
    newConversation: ({ conversation }) => cacheConversation(qc, conversation),
    conversationUpdated: ({ conversation }) => cacheConversation(qc, conversation),
    removedFromConversation: ({ conversationId }) => uncacheConversation(qc, conversationId),
    error: (error) => console.warn('chat socket error', error.code, error.message),
  };

  const entries = Object.entries(handlers) as [keyof ServerToClientEvents, (...args: unknown[]) => void][];
  for (const [event, handler] of entries) socket.on(event, handler as never);
  return () => {
    for (const [event, handler] of entries) socket.off(event, handler as never);
  };
}
