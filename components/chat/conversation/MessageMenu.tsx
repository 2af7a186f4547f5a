'use client';
// The actions of one message (reply, copy, edit, delete) behind a "⋯" button: a menu that
// arrow keys move through and Escape or a click elsewhere closes.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Icon, type IconName } from '@/components/ui/Icon';
import { useDismiss } from '@/components/ui/useDismiss';

export type MessageAction = { id: string; label: string; icon: IconName; danger?: boolean; run: () => void };

/** `getActions` is asked when the menu opens, so time-limited actions (edit) are judged then. */
export function MessageMenu({ getActions, align }: { getActions: () => MessageAction[]; align: 'left' | 'right' }) {
  const [actions, setActions] = useState<MessageAction[] | null>(null);
  const open = actions !== null;
  const setOpen = (value: boolean) => setActions(value ? getActions() : null);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  // Escape is the menu's own key (onMenuKey): it must not reach the conversation behind.
  useDismiss(open, () => setActions(null), { inside: [root] });
  useEffect(() => {
    if (open) root.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }, [open]);

  function onMenuKey(event: KeyboardEvent<HTMLDivElement>) {
    const items = [...(root.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
      button.current?.focus();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      items[(index + step + items.length) % items.length]?.focus();
    } else if (event.key === 'Tab') {
      setOpen(false);
    }
  }

  return (
    <div ref={root} className="relative self-center">
      <button
        ref={button}
        type="button"
        aria-label="Message actions"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        className={`icon-button h-8 w-8 group-focus-within:opacity-100 group-hover:opacity-100 pointer-coarse:opacity-60 ${open ? 'opacity-100' : 'opacity-0'}`}
      >
        <Icon name="more" className="h-4 w-4" />
      </button>
      {open ? (
        <div
          role="menu"
          aria-label="Message actions"
          onKeyDown={onMenuKey}
          className={`absolute bottom-full z-20 mb-1 min-w-40 overflow-hidden rounded-lg border border-slate-200 bg-white py-1 shadow-lg dark:border-slate-700 dark:bg-slate-800 ${
            align === 'right' ? 'right-0' : 'left-0'
          }`}
        >
          {(actions ?? []).map((action) => (
            <button
              key={action.id}
              type="button"
              role="menuitem"
              tabIndex={-1}
              onClick={() => {
                setOpen(false);
                action.run();
              }}
              className={`flex w-full items-center gap-2 px-3 py-2 text-left text-sm outline-none hover:bg-slate-100 focus:bg-slate-100 dark:hover:bg-slate-700 dark:focus:bg-slate-700 ${
                action.danger ? 'text-red-600 dark:text-red-400' : ''
              }`}
            >
              <Icon name={action.icon} className="h-4 w-4" />
              {action.label}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
