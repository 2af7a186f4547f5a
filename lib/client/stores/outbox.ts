// Messages I sent that the server has not acknowledged yet (pending), or refused (failed). They
// show in the conversation until the server's copy, matched by clientId, takes their place.
// Each conversation's entries form a queue (`order`): they are sent, and drawn, in that order.
import { create } from 'zustand';
import type { AttachmentDto, MessageType, ReplyPreviewDto } from '../../protocol';

export type OutgoingMessage = {
  clientId: string;
  conversationId: string;
  content: string;
  messageType: MessageType;
  replyTo: ReplyPreviewDto | null;
  /** A reply in this thread (absent: a message of the timeline). */
  threadRootId?: string | null;
  /** A thread reply also shown in the timeline. */
  alsoInConversation?: boolean;
  /** A file message: the uploaded attachment, or null while the file is still uploading. */
  attachment: AttachmentDto | null;
  /** The name of the file being sent, shown while it uploads. */
  fileName: string | null;
  /** A voice message's length, shown while it uploads. */
  durationSec?: number;
  createdAt: string;
  /** Place in the queue: lower is sent first. */
  order: number;
  status: 'pending' | 'failed';
  error?: string;
  /** False when sending it again cannot succeed (a file too large or of a type not allowed): no Retry. */
  retryable?: boolean;
};

export type NewOutgoingMessage = Omit<OutgoingMessage, 'order'>;

type OutboxState = {
  messages: Record<string, OutgoingMessage>;
  nextOrder: number;
  /** Joins the back of the queue. */
  add: (message: NewOutgoingMessage) => void;
  setStatus: (clientId: string, status: OutgoingMessage['status'], error?: string, retryable?: boolean) => void;
  setAttachment: (clientId: string, attachment: AttachmentDto) => void;
  /** Pending again, at the back of the queue (a retry is sent after what was queued before it). */
  requeue: (clientId: string) => void;
  remove: (clientId: string) => void;
  clear: () => void;
};

function patch(state: OutboxState, clientId: string, change: Partial<OutgoingMessage>): Partial<OutboxState> {
  const current = state.messages[clientId];
  if (!current) return state;
  return { messages: { ...state.messages, [clientId]: { ...current, ...change } } };
}

export const useOutboxStore = create<OutboxState>()((set) => ({
  messages: {},
  nextOrder: 1,
  add: (message) =>
    set((state) => ({ messages: { ...state.messages, [message.clientId]: { ...message, order: state.nextOrder } }, nextOrder: state.nextOrder + 1 })),
  setStatus: (clientId, status, error, retryable) => set((state) => patch(state, clientId, { status, error, retryable })),
  setAttachment: (clientId, attachment) => set((state) => patch(state, clientId, { attachment })),
  requeue: (clientId) =>
    set((state) => (state.messages[clientId] ? { ...patch(state, clientId, { status: 'pending', error: undefined, retryable: undefined, order: state.nextOrder }), nextOrder: state.nextOrder + 1 } : state)),
  remove: (clientId) =>
    set((state) => {
      if (!state.messages[clientId]) return state;
      const { [clientId]: _removed, ...rest } = state.messages;
      return { messages: rest };
    }),
  clear: () => set({ messages: {} }),
}));

/** All entries (or one conversation's) in queue order. */
export function inQueueOrder(messages: Record<string, OutgoingMessage>, conversationId?: string): OutgoingMessage[] {
  return Object.values(messages)
    .filter((m) => conversationId === undefined || m.conversationId === conversationId)
    .sort((a, b) => a.order - b.order);
}
