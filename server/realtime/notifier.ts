// Tells connected sockets about changes, whoever made them (a socket event or a REST call).
// Rooms: `user:<id>` holds every socket of a user; `conversation:<id>` every member's socket.
// socketsJoin/socketsLeave go through the adapter, so they reach sockets on every node.
import type { ChatNotifier } from '@/lib/chat/notifier';
import type { Db } from '@/lib/db/open';
import { rooms } from '@/lib/protocol';
import { participantIdsOf } from '@/lib/chat/membership';
import { loadConversationFor } from '@/lib/chat/conversations';
import type { ChatNamespace } from './types';

export function createSocketNotifier(chat: ChatNamespace, db: Db): ChatNotifier {
  /** Each member gets the conversation as they see it (their own unread count and settings). */
  async function sendToEachMember(conversationId: string, memberIds: string[], send: (userId: string, view: Awaited<ReturnType<typeof loadConversationFor>>) => void) {
    await Promise.all(
      memberIds.map(async (userId) => {
        send(userId, await loadConversationFor(db, conversationId, userId));
      }),
    );
  }

  return {
    async messageCreated(message, conversation) {
      chat.to(rooms.conversation(message.conversationId)).emit('newMessage', {
        message,
        conversation: { id: conversation.id, name: conversation.name, type: conversation.type },
      });
    },
    async messageEdited(message) {
      chat.to(rooms.conversation(message.conversationId)).emit('messageEdited', { message });
    },
    async messageDeleted(messageId, conversationId) {
      chat.to(rooms.conversation(conversationId)).emit('messageDeleted', { messageId, conversationId });
    },
    async conversationCreated(conversationId, createdBy) {
      const memberIds = await participantIdsOf(db, conversationId);
      // Never an empty room list: Socket.IO reads that as "every socket".
      if (memberIds.length) chat.in(memberIds.map(rooms.user)).socketsJoin(rooms.conversation(conversationId));
      await sendToEachMember(conversationId, memberIds, (userId, conversation) => {
        chat.to(rooms.user(userId)).emit('newConversation', { conversation, createdBy });
      });
    },
    async conversationUpdated(conversationId, removedUserIds = []) {
      if (removedUserIds.length) {
        const removedRooms = removedUserIds.map(rooms.user);
        chat.in(removedRooms).socketsLeave(rooms.conversation(conversationId));
        chat.to(removedRooms).emit('removedFromConversation', { conversationId });
      }
      const memberIds = await participantIdsOf(db, conversationId);
      // Newly added members' sockets join at once; joining twice is harmless.
      if (memberIds.length) chat.in(memberIds.map(rooms.user)).socketsJoin(rooms.conversation(conversationId));
      await sendToEachMember(conversationId, memberIds, (userId, conversation) => {
        chat.to(rooms.user(userId)).emit('conversationUpdated', { conversation });
      });
    },
  };
}
