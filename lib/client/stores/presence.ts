// Who is online, among the people I share a conversation with (the server tells only those).
import { create } from 'zustand';

type PresenceState = {
  online: ReadonlySet<string>;
  /** The full picture the server sends on each (re)connect. */
  replaceAll: (userIds: string[]) => void;
  setOnline: (userId: string, online: boolean) => void;
};

export const usePresenceStore = create<PresenceState>()((set) => ({
  online: new Set(),
  replaceAll: (userIds) => set({ online: new Set(userIds) }),
  setOnline: (userId, online) =>
    set((state) => {
      if (state.online.has(userId) === online) return state;
      const next = new Set(state.online);
      if (online) next.add(userId);
      else next.delete(userId);
      return { online: next };
    }),
}));
