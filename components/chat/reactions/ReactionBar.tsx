'use client';
// A message's reactions: each emoji with its count, highlighted when one is mine; clicking one
// adds or takes back mine. Who reacted shows on hover (the title) and on a long press (touch),
// and is read out to screen readers.
import { useRef, useState } from 'react';
import type { ReactionDto } from '@/lib/protocol';

const LONG_PRESS_MS = 450;

function whoReacted(reaction: ReactionDto, meId: string, nameOf: (userId: string) => string): string {
  const names = reaction.userIds.map((id) => (id === meId ? 'You' : nameOf(id)));
  return `${names.join(', ')} reacted with ${reaction.emoji}`;
}

export function ReactionBar({
  reactions,
  meId,
  nameOf,
  onToggle,
  align,
}: {
  reactions: ReactionDto[];
  meId: string;
  nameOf: (userId: string) => string;
  /** Absent: the chips only show (a conversation I left). */
  onToggle?: (emoji: string, add: boolean) => void;
  align: 'left' | 'right';
}) {
  const [shown, setShown] = useState<string | null>(null);
  const press = useRef<{ timer: ReturnType<typeof setTimeout>; fired: boolean } | null>(null);
  if (reactions.length === 0) return null;

  const endPress = () => {
    if (press.current) clearTimeout(press.current.timer);
  };

  return (
    <div className={`mt-1 flex flex-wrap gap-1 ${align === 'right' ? 'justify-end' : ''}`} data-testid="reactions">
      {reactions.map((reaction) => {
        const mine = reaction.userIds.includes(meId);
        const who = whoReacted(reaction, meId, nameOf);
        return (
          <span key={reaction.emoji} className="relative">
            <button
              type="button"
              data-testid="reaction"
              data-emoji={reaction.emoji}
              data-mine={mine}
              aria-pressed={mine}
              aria-label={onToggle ? `${who}. ${mine ? 'Take back your reaction' : 'React too'}` : who}
              title={who}
              onPointerDown={(event) => {
                if (event.pointerType !== 'touch') return;
                const state = { fired: false, timer: setTimeout(() => ((state.fired = true), setShown(reaction.emoji)), LONG_PRESS_MS) };
                press.current = state;
              }}
              onPointerUp={endPress}
              onPointerLeave={endPress}
              onContextMenu={(event) => press.current?.fired && event.preventDefault()}
              onClick={() => {
                // A long press shows who reacted; it does not toggle.
                if (press.current?.fired) {
                  press.current = null;
                  return;
                }
                onToggle?.(reaction.emoji, !mine);
              }}
              className={`inline-flex h-7 items-center gap-1 rounded-full border px-2 text-sm tabular-nums ${
                mine
                  ? 'border-indigo-400 bg-indigo-50 text-indigo-800 dark:border-indigo-400 dark:bg-indigo-950 dark:text-indigo-200'
                  : 'border-slate-200 bg-white text-slate-700 hover:border-slate-300 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-200'
              }`}
            >
              <span aria-hidden>{reaction.emoji}</span>
              <span data-testid="reaction-count">{reaction.userIds.length}</span>
            </button>
            {shown === reaction.emoji ? (
              <span
                role="tooltip"
                data-testid="reaction-who"
                onClick={() => setShown(null)}
                className="absolute bottom-full left-0 z-30 mb-1 w-max max-w-64 rounded-md bg-slate-900 px-2 py-1 text-xs text-white shadow-lg"
              >
                {who}
              </span>
            ) : null}
          </span>
        );
      })}
    </div>
  );
}
