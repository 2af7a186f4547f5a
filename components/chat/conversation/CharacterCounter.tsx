// How much of the message limit a draft uses, shown once it comes near (and past) it, so a long
// paste is never cut without a word: the text stays whole and sending waits until it fits.
import { LIMITS } from '@/lib/protocol';

/** The counter appears from this share of the limit on. */
const SHOW_FROM = 0.9;

export function overLimit(text: string): boolean {
  return text.length > LIMITS.messageContent;
}

export function CharacterCounter({ text }: { text: string }) {
  const used = text.length;
  if (used < LIMITS.messageContent * SHOW_FROM) return null;
  const over = used - LIMITS.messageContent;
  return (
    <p
      data-testid="character-counter"
      aria-live="polite"
      className={`mb-1 text-right text-xs tabular-nums ${over > 0 ? 'font-semibold text-red-600 dark:text-red-400' : 'text-slate-500 dark:text-slate-400'}`}
    >
      {used.toLocaleString('en')} / {LIMITS.messageContent.toLocaleString('en')}
      {over > 0 ? ` — ${over.toLocaleString('en')} too many: shorten it or send it in parts` : null}
    </p>
  );
}
