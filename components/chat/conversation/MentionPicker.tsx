'use client';
// The list the composer's picker shows above the text box (useMentionPicker drives it). The text
// box keeps the focus; the list is its popup (aria-activedescendant names the active option).
import type { MentionOption } from '@/lib/client/mentions';
import { Avatar } from '@/components/ui/Avatar';
import { Icon } from '@/components/ui/Icon';

export const MENTION_LIST_ID = 'mention-picker';
export const mentionOptionId = (index: number) => `mention-option-${index}`;

export function MentionPicker({
  options,
  active,
  onHover,
  onPick,
}: {
  options: MentionOption[];
  active: number;
  onHover: (index: number) => void;
  onPick: (option: MentionOption) => void;
}) {
  return (
    <ul
      id={MENTION_LIST_ID}
      role="listbox"
      aria-label="Mention someone"
      data-testid="mention-picker"
      className="absolute right-0 bottom-full left-0 mb-2 max-h-64 overflow-y-auto rounded-xl border border-slate-200 bg-white py-1 shadow-lg dark:border-slate-700 dark:bg-slate-900"
    >
      {options.map((option, i) => (
        <li
          key={option.insert}
          id={mentionOptionId(i)}
          role="option"
          aria-selected={i === active}
          data-testid="mention-option"
          // Keep the focus in the text box: the pick happens on mouse down.
          onMouseDown={(event) => {
            event.preventDefault();
            onPick(option);
          }}
          onMouseEnter={() => onHover(i)}
          className={`flex cursor-pointer items-center gap-3 px-3 py-1.5 ${i === active ? 'bg-indigo-50 dark:bg-indigo-950/60' : ''}`}
        >
          {option.kind === 'user' ? (
            <>
              <Avatar id={option.user.id} name={option.user.name} url={option.user.avatarUrl} size="sm" />
              <span className="min-w-0 flex-1 truncate">
                <span className="font-medium">{option.user.name}</span>{' '}
                <span className="text-sm text-slate-500 dark:text-slate-400">@{option.user.username}</span>
              </span>
            </>
          ) : (
            <>
              <span className="flex h-8 w-8 shrink-0 items-center justify-center rounded-full bg-amber-100 text-amber-700 dark:bg-amber-500/20 dark:text-amber-200">
                <Icon name="users" className="h-4 w-4" />
              </span>
              <span className="min-w-0 flex-1 truncate">
                <span className="font-medium">@{option.scope}</span>{' '}
                <span className="text-sm text-slate-500 dark:text-slate-400">{option.description}</span>
              </span>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
