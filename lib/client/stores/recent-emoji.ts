// The emoji I reacted with lately, newest first, kept in this browser (localStorage): the picker's
// quick row offers them before the defaults.
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { rememberEmoji } from '../reactions';

export const DEFAULT_REACTIONS = ['👍', '❤️', '😂', '🎉', '😮', '🙏'];

type RecentEmojiState = { recent: string[]; used: (emoji: string) => void };

export const useRecentEmojiStore = create<RecentEmojiState>()(
  persist((set) => ({ recent: [], used: (emoji) => set((state) => ({ recent: rememberEmoji(state.recent, emoji) })) }), { name: 'parley:recent-emoji' }),
);

/** The quick row: recent first, then defaults, six in all. */
export function quickReactions(recent: readonly string[]): string[] {
  return [...new Set([...recent, ...DEFAULT_REACTIONS])].slice(0, 6);
}
