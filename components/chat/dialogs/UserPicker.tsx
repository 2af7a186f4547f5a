'use client';
// Find people by name or username. Single mode picks one at a click; multiple mode toggles a
// selection (shown as removable chips above the search).
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { UserSummary } from '@/lib/protocol';
import { Avatar } from '@/components/ui/Avatar';
import { Icon } from '@/components/ui/Icon';
import { api } from '@/lib/client/api';
import { useDebouncedValue } from '@/lib/client/hooks/useDebouncedValue';
import { queryKeys } from '@/lib/client/query-keys';

export function UserPicker({
  onPick,
  selected = [],
  exclude = [],
  multiple = false,
  autoFocus = false,
}: {
  onPick: (user: UserSummary) => void;
  selected?: UserSummary[];
  exclude?: string[];
  multiple?: boolean;
  autoFocus?: boolean;
}) {
  const [q, setQ] = useState('');
  const query = useDebouncedValue(q.trim(), 200);
  const inputId = useId();
  const users = useQuery({ queryKey: queryKeys.users(query), queryFn: () => api.searchUsers(query), staleTime: 30_000 });
  const shown = (users.data ?? []).filter((u) => !exclude.includes(u.id));
  const isSelected = (id: string) => selected.some((u) => u.id === id);

  return (
    <div>
      {multiple && selected.length > 0 ? (
        <ul className="mb-2 flex flex-wrap gap-1.5" aria-label="Selected people">
          {selected.map((u) => (
            <li key={u.id}>
              <button
                type="button"
                onClick={() => onPick(u)}
                className="inline-flex items-center gap-1 rounded-full bg-indigo-100 py-0.5 pr-1.5 pl-2.5 text-sm text-indigo-800 hover:bg-indigo-200 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:bg-indigo-950 dark:text-indigo-200"
                aria-label={`Remove ${u.name}`}
              >
                {u.name}
                <Icon name="close" className="h-3.5 w-3.5" />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <label htmlFor={inputId} className="sr-only">
        Search people
      </label>
      <input
        id={inputId}
        type="search"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        placeholder="Search by name or username"
        className="text-input"
        autoFocus={autoFocus}
      />
      <ul className="mt-2 h-64 overflow-y-auto" aria-label="People" aria-busy={users.isFetching}>
        {shown.map((u) => (
          <li key={u.id}>
            <button
              type="button"
              onClick={() => onPick(u)}
              aria-pressed={multiple ? isSelected(u.id) : undefined}
              data-testid="user-option"
              className="flex w-full items-center gap-3 rounded-lg px-2 py-2 text-left hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:bg-slate-800"
            >
              <Avatar id={u.id} name={u.name} url={u.avatarUrl} size="sm" />
              <span className="min-w-0 flex-1">
                <span className="block truncate text-sm font-medium">{u.name}</span>
                <span className="block truncate text-xs text-slate-500">@{u.username}</span>
              </span>
              {multiple && isSelected(u.id) ? <Icon name="check" label="Selected" className="h-4 w-4 text-indigo-600" /> : null}
            </button>
          </li>
        ))}
        {users.isSuccess && shown.length === 0 ? <li className="px-2 py-6 text-center text-sm text-slate-500">Nobody found.</li> : null}
        {users.isError ? <li className="px-2 py-6 text-center text-sm text-red-600">Could not search people.</li> : null}
      </ul>
    </div>
  );
}
