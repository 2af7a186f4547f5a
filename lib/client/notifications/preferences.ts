// This browser's notification choices: the sound on or off, and whether the user said "not now"
// to turning desktop notifications on. Kept in localStorage (per browser, like the permission).
import { create } from 'zustand';

const SOUND_KEY = 'parley:notification-sound';
const PROMPT_KEY = 'parley:notification-prompt-dismissed';

type NotificationPreferences = {
  /** False until read from storage on the client (the server renders without it). */
  loaded: boolean;
  sound: boolean;
  promptDismissed: boolean;
  load: () => void;
  setSound: (on: boolean) => void;
  dismissPrompt: () => void;
};

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage blocked: defaults for this page
  }
}

function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage blocked: the choice lasts for this page only.
  }
}

export const useNotificationPreferences = create<NotificationPreferences>()((set, get) => ({
  loaded: false,
  sound: true,
  promptDismissed: false,
  load: () => {
    if (get().loaded) return;
    set({ loaded: true, sound: stored(SOUND_KEY) !== 'off', promptDismissed: stored(PROMPT_KEY) === 'yes' });
  },
  setSound: (on) => {
    store(SOUND_KEY, on ? 'on' : 'off');
    set({ sound: on });
  },
  dismissPrompt: () => {
    store(PROMPT_KEY, 'yes');
    set({ promptDismissed: true });
  },
}));
