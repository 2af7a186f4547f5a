// What each server event changes, once the intake has checked its shape: server data goes into
// the React Query cache (through ChatCache, never a refetch), live state (presence, typing,
// announcements) into the zustand stores, and receipts go back for messages that reached me.
import type { ConversationRef, MessageDto } from '../protocol';
import type { ChatCache } from './chat-cache';
import type { ServerEventHandlers } from './event-intake';
import type { ReceiptSender } from './receipt-sender';
import { useAnnouncerStore } from './stores/announcer';
import { useOutboxStore } from './stores/outbox';
import { usePresenceStore } from './stores/presence';
import { useTypingStore } from './stores/typing';

/** Hears each message from someone else as it arrives live (the desktop notifier listens). */
export type ArrivalListener = (message: MessageDto, conversation: ConversationRef) => void;

export function liveEventHandlers(cache: ChatCache, receipts: ReceiptSender, onArrival: ArrivalListener = () => {}): ServerEventHandlers {
  const meId = cache.meId;
  return {
    newMessage: ({ message, conversation }) => {
      // A conversation the loaded list does not have (its newConversation was missed): ask again.
      if (cache.knowsConversation(message.conversationId) === false) void cache.refetchConversations();
      cache.newMessage(message);
      useTypingStore.getState().setTyping(message.conversationId, { userId: message.senderId, username: message.sender.username }, false);
      if (message.senderId === meId) {
        // Sent from another tab or device of mine, or the echo of my own send.
        if (message.clientId) useOutboxStore.getState().remove(message.clientId);
        return;
      }
      receipts.markDelivered(message.conversationId, message);
      // A timeline note is read out, but never notifies (no desktop notification, no sound).
      if (message.system) {
        useAnnouncerStore.getState().announce(message.content);
        return;
      }
      onArrival(message, conversation);
      useAnnouncerStore.getState().announce(`${message.sender.name}: ${message.deletedAt ? 'deleted message' : message.content || message.messageType}`);
    },
    messageEdited: ({ message }) => cache.editedMessage(message),
    messageDeleted: ({ conversationId, messageId, removedByAdmin }) => cache.deletedMessage(conversationId, messageId, removedByAdmin ?? false),
    reactionChanged: ({ conversationId, ...change }) => cache.reactionChanged(conversationId, change),
    threadUpdated: ({ conversationId, rootId, thread }) => cache.threadUpdated(conversationId, rootId, thread),
    messageRead: ({ conversationId, messageId, seq, readBy, readAt }) =>
      cache.receipt({ conversationId, messageId, seq, userId: readBy, kind: 'read', at: readAt }),
    messageDelivered: ({ conversationId, messageId, seq, deliveredTo, deliveredAt }) =>
      cache.receipt({ conversationId, messageId, seq, userId: deliveredTo, kind: 'delivered', at: deliveredAt }),
    userTyping: ({ conversationId, userId, username, isTyping }) => {
      if (userId !== meId) useTypingStore.getState().setTyping(conversationId, { userId, username }, isTyping);
    },
    presenceState: ({ online }) => usePresenceStore.getState().replaceAll(online),
    userOnline: ({ userId }) => usePresenceStore.getState().setOnline(userId, true),
    userOffline: ({ userId, timestamp }) => usePresenceStore.getState().setOnline(userId, false, timestamp),
    newConversation: ({ conversation }) => cache.conversation(conversation),
    conversationUpdated: ({ conversation }) => cache.conversation(conversation),
    // Removed by someone: the conversation stays, read-only, up to the note of it. Left: it goes.
    removedFromConversation: ({ conversationId, conversation }) =>
      conversation ? cache.conversation(conversation) : cache.uncacheConversation(conversationId),
    notificationSettingsChanged: (settings) => cache.notificationSettings(settings),
    error: (error) => console.warn('chat socket error', error.code, error.message),
  };
}
