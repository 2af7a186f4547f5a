// Who is typing where. Entries carry their own expiry as a safety net: the server also stops
// typing by itself, but a lost "stopped" event must not leave "is typing…" up forever.
import { create } from 'zustand';
import { TYPING } from '../../protocol';

export type Typist = { userId: string; username: string; until: number };

type TypingState = {
  byConversation: Record<string, Record<string, Typist>>;
  setTyping: (conversationId: string, typist: { userId: string; username: string }, isTyping: boolean, now?: number) => void;
  /** Drops expired entries; returns whether anything changed. */
  prune: (now?: number) => boolean;
  clearAll: () => void;
};

export const useTypingStore = create<TypingState>()((set, get) => ({
  byConversation: {},
  setTyping: (conversationId, { userId, username }, isTyping, now = Date.now()) =>
    set((state) => {
      const current = state.byConversation[conversationId] ?? {};
      if (!isTyping && !current[userId]) return state;
      const next = { ...current };
      if (isTyping) next[userId] = { userId, username, until: now + TYPING.displayMs };
      else delete next[userId];
      return { byConversation: { ...state.byConversation, [conversationId]: next } };
    }),
  prune: (now = Date.now()) => {
    const { byConversation } = get();
    let changed = false;
    const next: Record<string, Record<string, Typist>> = {};
    for (const [conversationId, typists] of Object.entries(byConversation)) {
      const kept = Object.fromEntries(Object.entries(typists).filter(([, t]) => t.until > now));
      changed ||= Object.keys(kept).length !== Object.keys(typists).length;
      next[conversationId] = kept;
    }
    if (changed) set({ byConversation: next });
    return changed;
  },
  clearAll: () => set({ byConversation: {} }),
}));
