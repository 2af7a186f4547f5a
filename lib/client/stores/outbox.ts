// Messages I sent that the server has not acknowledged yet (pending), or refused (failed). They
// show in the conversation until the server's copy, matched by clientId, takes their place.
import { create } from 'zustand';
import type { AttachmentDto, MessageType, ReplyPreviewDto } from '../../protocol';

export type OutgoingMessage = {
  clientId: string;
  conversationId: string;
  content: string;
  messageType: MessageType;
  replyTo: ReplyPreviewDto | null;
  /** A file message: the uploaded attachment, or null while the file is still uploading. */
  attachment: AttachmentDto | null;
  /** The name of the file being sent, shown while it uploads. */
  fileName: string | null;
  createdAt: string;
  status: 'pending' | 'failed';
  error?: string;
};

type OutboxState = {
  messages: Record<string, OutgoingMessage>;
  add: (message: OutgoingMessage) => void;
  setStatus: (clientId: string, status: OutgoingMessage['status'], error?: string) => void;
  setAttachment: (clientId: string, attachment: AttachmentDto) => void;
  remove: (clientId: string) => void;
};

export const useOutboxStore = create<OutboxState>()((set) => ({
  messages: {},
  add: (message) => set((state) => ({ messages: { ...state.messages, [message.clientId]: message } })),
  setStatus: (clientId, status, error) =>
    set((state) => {
      const current = state.messages[clientId];
      if (!current) return state;
      return { messages: { ...state.messages, [clientId]: { ...current, status, error } } };
    }),
  setAttachment: (clientId, attachment) =>
    set((state) => {
      const current = state.messages[clientId];
      if (!current) return state;
      return { messages: { ...state.messages, [clientId]: { ...current, attachment } } };
    }),
  remove: (clientId) =>
    set((state) => {
      if (!state.messages[clientId]) return state;
      const { [clientId]: _removed, ...rest } = state.messages;
      return { messages: rest };
    }),
}));
