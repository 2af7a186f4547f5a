// Which thread is open beside its conversation, and the reply to bring into view in it (from a
// search result). Kept in a store so a search anywhere can open a thread of another conversation.
import { create } from 'zustand';

export type OpenThread = { conversationId: string; rootId: string; focusId: string | null; seq: number };

type ThreadState = {
  open: OpenThread | null;
  openThread: (conversationId: string, rootId: string, focusId?: string | null) => void;
  close: () => void;
};

export const useThreadStore = create<ThreadState>()((set) => ({
  open: null,
  openThread: (conversationId, rootId, focusId = null) =>
    set((state) => ({ open: { conversationId, rootId, focusId, seq: (state.open?.seq ?? 0) + 1 } })),
  close: () => set({ open: null }),
}));
