// What the domain tells the real-time layer after a change, whoever made it (a socket event or a
// REST call). The Socket.IO implementation is server/realtime/notifier.ts.
import type { ConversationDto, MessageDto } from '../protocol';

export interface ChatNotifier {
  messageCreated(message: MessageDto, conversation: Pick<ConversationDto, 'id' | 'name' | 'type'>): Promise<void>;
  messageEdited(message: MessageDto): Promise<void>;
  messageDeleted(messageId: string, conversationId: string): Promise<void>;
  /** A conversation was created; its members' sockets join its room and are told. */
  conversationCreated(conversationId: string, createdBy: { id: string; username: string }): Promise<void>;
  /** Name, description or membership changed; removed users' sockets leave its room. */
  conversationUpdated(conversationId: string, removedUserIds?: string[]): Promise<void>;
}

/** For contexts with no sockets (scripts). */
export const silentNotifier: ChatNotifier = {
  async messageCreated() {},
  async messageEdited() {},
  async messageDeleted() {},
  async conversationCreated() {},
  async conversationUpdated() {},
};
