// One voice message plays at a time: the player asked to play is the one named here, and every
// other player pauses. When one ends, the next voice message in the conversation is asked.
import { create } from 'zustand';

type PlaybackState = {
  /** The voice message playing (or asked to), by attachment id. */
  playing: string | null;
  play: (id: string) => void;
  /** Stops naming it, if it is still the one named. */
  stopped: (id: string) => void;
};

export const usePlaybackStore = create<PlaybackState>()((set) => ({
  playing: null,
  play: (id) => set({ playing: id }),
  stopped: (id) => set((state) => (state.playing === id ? { playing: null } : state)),
}));
