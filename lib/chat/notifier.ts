// What the domain tells the real-time layer after a change, whoever made it (a socket event or a
// REST call). The Socket.IO implementation is server/realtime/notifier.ts.
import type { ConversationDto, MessageDto, NotificationSettingsDto, ThreadSummaryDto } from '../protocol';
import type { ReactionChange } from './reactions';

export type MembershipChange = { added?: string[]; removed?: string[] };

export interface ChatNotifier {
  messageCreated(message: MessageDto, conversation: Pick<ConversationDto, 'id' | 'name' | 'type'>): Promise<void>;
  messageEdited(message: MessageDto): Promise<void>;
  /** `removedByAdmin`: a server admin removed it (moderation). */
  messageDeleted(messageId: string, conversationId: string, options?: { removedByAdmin?: boolean }): Promise<void>;
  /**
   * A timeline note (lib/chat/timeline.ts) goes to the conversation's room as a `newMessage`, in
   * order with the messages, but through none of what a message sets off (notifications).
   */
  noteCreated(note: MessageDto): Promise<void>;
  /** A reaction was added or removed (only changes that changed something are told). */
  reactionChanged(change: ReactionChange): Promise<void>;
  /** A thread's summary after a reply was added or deleted. */
  threadUpdated(conversationId: string, rootId: string, thread: ThreadSummaryDto): Promise<void>;
  /** A conversation was created; its members' sockets join its room and are told. */
  conversationCreated(conversationId: string, createdBy: { id: string; username: string }): Promise<void>;
  /**
   * Name, description or membership changed; everyone still in it is told. Added users' sockets
   * join its room (and they and the others learn who of them is online); removed users' leave it.
   */
  conversationUpdated(conversationId: string, change?: MembershipChange): Promise<void>;
  /**
   * Credentials of a user were ended: their live sockets are disconnected at once, on every node
   * (those of one browser session when `sessionId` is given, else all of them).
   */
  signedOut(userId: string, sessionId?: string): Promise<void>;
  /** A member's own settings of a conversation (mute, archive, level) changed: their other tabs follow. */
  mySettingsChanged(userId: string, conversation: ConversationDto): Promise<void>;
  /** A user's own notification settings changed: their other tabs follow. */
  notificationSettingsChanged(userId: string, settings: NotificationSettingsDto): Promise<void>;
}

/** For contexts with no sockets (scripts). */
export const silentNotifier: ChatNotifier = {
  async messageCreated() {},
  async messageEdited() {},
  async messageDeleted() {},
  async noteCreated() {},
  async reactionChanged() {},
  async threadUpdated() {},
  async conversationCreated() {},
  async conversationUpdated() {},
  async signedOut() {},
  async notificationSettingsChanged() {},
  async mySettingsChanged() {},
};
