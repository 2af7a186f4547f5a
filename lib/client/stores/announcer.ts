// The latest thing to read out to screen-reader users (incoming messages), for the polite
// aria-live region. A counter makes a repeated identical text still count as new.
import { create } from 'zustand';

type AnnouncerState = {
  text: string;
  seq: number;
  announce: (text: string) => void;
};

export const useAnnouncerStore = create<AnnouncerState>()((set) => ({
  text: '',
  seq: 0,
  announce: (text) => set((state) => ({ text, seq: state.seq + 1 })),
}));
