// Tells connected sockets about changes, whoever made them (a socket event or a REST call).
// Rooms: `user:<id>` holds every socket of a user; `conversation:<id>` every member's socket.
// socketsJoin/socketsLeave go through the adapter, so they reach sockets on every node.
import type { ChatNotifier, MembershipChange } from '@/lib/chat/notifier';
import type { Db } from '@/lib/db/open';
import type { ParticipantDto } from '@/lib/protocol';
import { rooms } from '@/lib/protocol';
import type { PresenceStore } from '@/lib/realtime/stores';
import { participantIdsOf } from '@/lib/chat/membership';
import { loadConversationViews, loadLeftView } from '@/lib/chat/conversations';
import type { ChatNamespace } from './types';

export function createSocketNotifier(chat: ChatNamespace, db: Db, presence: PresenceStore): ChatNotifier {
  /**
   * People who just became contacts learn whether the other is online. `presenceState` came at
   * connect time and `userOnline` only when someone's first socket opens, so without this a new
   * contact who is already online would show offline until one of them reconnects.
   */
  async function introduce(participants: readonly ParticipantDto[], newcomerIds: readonly string[]): Promise<void> {
    const memberIds = participants.map((p) => p.user.id);
    const online = await presence.onlineAmong(memberIds);
    const timestamp = new Date().toISOString();
    for (const { user } of participants) {
      if (!online.has(user.id)) continue;
      // A newcomer is news to everyone else; an old member only to the newcomers.
      const audience = (newcomerIds.includes(user.id) ? memberIds : newcomerIds).filter((id) => id !== user.id);
      if (audience.length) chat.to(audience.map(rooms.user)).emit('userOnline', { userId: user.id, username: user.username, timestamp });
    }
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
    async messageDeleted(messageId, conversationId, options) {
      chat.to(rooms.conversation(conversationId)).emit('messageDeleted', {
        messageId,
        conversationId,
        ...(options?.removedByAdmin ? { removedByAdmin: true } : {}),
      });
    },
    async noteCreated(note) {
      const conversation = await db.conversation.findUnique({ where: { id: note.conversationId }, select: { id: true, name: true, type: true } });
      if (!conversation) return;
      chat.to(rooms.conversation(note.conversationId)).emit('newMessage', { message: note, conversation });
    },
    async reactionChanged({ conversationId, messageId, emoji, userId, added, changed }) {
      if (changed) chat.to(rooms.conversation(conversationId)).emit('reactionChanged', { conversationId, messageId, emoji, userId, added });
    },
    async threadUpdated(conversationId, rootId, thread) {
      chat.to(rooms.conversation(conversationId)).emit('threadUpdated', { conversationId, rootId, thread });
    },
    async conversationCreated(conversationId, createdBy) {
      const memberIds = await participantIdsOf(db, conversationId);
      // Never an empty room list: Socket.IO reads that as "every socket".
      if (memberIds.length === 0) return;
      chat.in(memberIds.map(rooms.user)).socketsJoin(rooms.conversation(conversationId));
      // Each member gets the conversation as they see it (their own unread count and settings).
      const views = await loadConversationViews(db, conversationId, memberIds);
      for (const [userId, conversation] of views) chat.to(rooms.user(userId)).emit('newConversation', { conversation, createdBy });
      // Every view lists the same participants.
      await introduce(views.get(memberIds[0]!)!.participants, memberIds);
    },
    async conversationUpdated(conversationId, { added = [], removed = [] }: MembershipChange = {}) {
      if (removed.length) {
        chat.in(removed.map(rooms.user)).socketsLeave(rooms.conversation(conversationId));
        // Someone removed by another keeps a read-only view; someone who left drops it.
        for (const userId of removed) {
          const conversation = await loadLeftView(db, conversationId, userId);
          chat.to(rooms.user(userId)).emit('removedFromConversation', conversation ? { conversationId, conversation } : { conversationId });
        }
      }
      const memberIds = await participantIdsOf(db, conversationId);
      if (memberIds.length === 0) return;
      // Added members' sockets join at once, on every node.
      if (added.length) chat.in(added.map(rooms.user)).socketsJoin(rooms.conversation(conversationId));
      const views = await loadConversationViews(db, conversationId, memberIds);
      for (const [userId, conversation] of views) chat.to(rooms.user(userId)).emit('conversationUpdated', { conversation });
      if (added.length) await introduce(views.get(memberIds[0]!)!.participants, added);
    },
    async signedOut(userId, sessionId) {
      // Through the adapter: sockets on every node go. Their reconnect with the ended credential fails.
      chat.in(sessionId ? rooms.session(sessionId) : rooms.user(userId)).disconnectSockets(true);
    },
    async mySettingsChanged(userId, conversation) {
      // Only their own sockets: the conversation as they see it (nobody else's view changed).
      chat.to(rooms.user(userId)).emit('conversationUpdated', { conversation });
    },
    async notificationSettingsChanged(userId, settings) {
      chat.to(rooms.user(userId)).emit('notificationSettingsChanged', settings);
    },
  };
}
