'use client';
// "Add reaction": a quick row of my recent emoji (then common ones) and, behind "More", the full
// picker. Escape or a click elsewhere closes it; choosing an emoji reacts and closes it.
import dynamic from 'next/dynamic';
import { useRef, useState } from 'react';
import { Icon } from '@/components/ui/Icon';
import { useDismiss } from '@/components/ui/useDismiss';
import { quickReactions, useRecentEmojiStore } from '@/lib/client/stores/recent-emoji';

const FullEmojiPicker = dynamic(() => import('./FullEmojiPicker'), {
  ssr: false,
  loading: () => <p className="p-4 text-sm text-slate-500">Loading emoji…</p>,
});

export function ReactionPicker({ onPick, align }: { onPick: (emoji: string) => void; align: 'left' | 'right' }) {
  const [open, setOpen] = useState<'quick' | 'full' | null>(null);
  const recent = useRecentEmojiStore((s) => s.recent);
  const used = useRecentEmojiStore((s) => s.used);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useDismiss(open !== null, () => setOpen(null), { inside: [root], escapeFocus: button });

  function pick(emoji: string) {
    used(emoji);
    setOpen(null);
    onPick(emoji);
  }

  return (
    <div ref={root} className="relative self-center">
      <button
        ref={button}
        type="button"
        aria-label="Add reaction"
        title="Add reaction"
        aria-haspopup="dialog"
        aria-expanded={open !== null}
        onClick={() => setOpen(open ? null : 'quick')}
        className={`icon-button h-8 w-8 group-focus-within:opacity-100 group-hover:opacity-100 pointer-coarse:opacity-60 ${open ? 'opacity-100' : 'opacity-0'}`}
      >
        <Icon name="smile" className="h-4 w-4" />
      </button>
      {open ? (
        <div
          role="dialog"
          aria-label="Choose a reaction"
          data-testid="reaction-picker"
          className={`absolute bottom-full z-30 mb-1 rounded-xl border border-slate-200 bg-white p-1 shadow-lg dark:border-slate-700 dark:bg-slate-800 ${align === 'right' ? 'right-0' : 'left-0'}`}
        >
          {open === 'quick' ? (
            <div className="flex items-center gap-0.5">
              {quickReactions(recent).map((emoji) => (
                <button
                  key={emoji}
                  type="button"
                  data-testid="quick-reaction"
                  aria-label={`React with ${emoji}`}
                  onClick={() => pick(emoji)}
                  className="h-9 w-9 rounded-lg text-xl hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:bg-slate-700"
                >
                  {emoji}
                </button>
              ))}
              <button type="button" onClick={() => setOpen('full')} className="h-9 rounded-lg px-2 text-sm text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-700">
                More…
              </button>
            </div>
          ) : (
            <FullEmojiPicker onPick={pick} />
          )}
        </div>
      ) : null}
    </div>
  );
}
