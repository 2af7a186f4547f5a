// A request to bring one message into view (from a reply quote or a search result). The message
// list loads older pages until it holds the message, then scrolls to it and highlights it.
import { create } from 'zustand';

export type JumpRequest = { conversationId: string; messageId: string; seq: number };

type JumpState = {
  request: JumpRequest | null;
  jumpTo: (conversationId: string, messageId: string) => void;
};

export const useJumpStore = create<JumpState>()((set) => ({
  request: null,
  jumpTo: (conversationId, messageId) => set((state) => ({ request: { conversationId, messageId, seq: (state.request?.seq ?? 0) + 1 } })),
}));
