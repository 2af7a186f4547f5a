// Unsent text per conversation, so switching conversations (or replying to an edit) keeps what
// was typed. Lives for the page's lifetime.
import { create } from 'zustand';

type DraftState = {
  drafts: Record<string, string>;
  setDraft: (conversationId: string, text: string) => void;
};

export const useDraftStore = create<DraftState>()((set) => ({
  drafts: {},
  setDraft: (conversationId, text) => set((state) => ({ drafts: { ...state.drafts, [conversationId]: text } })),
}));
