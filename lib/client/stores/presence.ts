// Who is online, among the people I share a conversation with (the server tells only those), and
// when those who went offline while I watched were last seen (the server's time of it).
import { create } from 'zustand';

type PresenceState = {
  online: ReadonlySet<string>;
  /** Last seen, from `userOffline` events: newer than what the conversation list says. */
  lastSeen: ReadonlyMap<string, string>;
  /** The full picture the server sends on each (re)connect. */
  replaceAll: (userIds: string[]) => void;
  setOnline: (userId: string, online: boolean, at?: string) => void;
};

export const usePresenceStore = create<PresenceState>()((set) => ({
  online: new Set(),
  lastSeen: new Map(),
  replaceAll: (userIds) => set({ online: new Set(userIds) }),
  setOnline: (userId, online, at) =>
    set((state) => {
      const lastSeen = !online && at ? new Map(state.lastSeen).set(userId, at) : state.lastSeen;
      if (state.online.has(userId) === online) return lastSeen === state.lastSeen ? state : { lastSeen };
      const next = new Set(state.online);
      if (online) next.add(userId);
      else next.delete(userId);
      return { online: next, lastSeen };
    }),
}));
