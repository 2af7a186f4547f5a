'use client';
// Search within the open conversation; choosing a result jumps to that message.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { MessageDto } from '@/lib/protocol';
import { Avatar } from '@/components/ui/Avatar';
import { api } from '@/lib/client/api';
import { listTimeLabel } from '@/lib/client/format';
import { useDebouncedValue } from '@/lib/client/hooks/useDebouncedValue';
import { queryKeys } from '@/lib/client/query-keys';
import { SidePanel } from './SidePanel';

export function SearchPanel({ conversationId, onPick, onClose }: { conversationId: string; onPick: (message: MessageDto) => void; onClose: () => void }) {
  const [q, setQ] = useState('');
  const query = useDebouncedValue(q.trim(), 250);
  const results = useQuery({
    queryKey: queryKeys.search(conversationId, query),
    queryFn: () => api.searchMessages(conversationId, query),
    enabled: query.length > 0,
    staleTime: 10_000,
  });

  return (
    <SidePanel title="Search messages" onClose={onClose}>
      <div className="p-3">
        <label htmlFor="message-search" className="sr-only">
          Search this conversation
        </label>
        <input
          id="message-search"
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder="Search this conversation"
          className="text-input"
          autoFocus
        />
      </div>
      <div role="status" className="px-4 text-xs text-slate-500">
        {results.isFetching ? 'Searching…' : results.isSuccess ? `${results.data.length} result${results.data.length === 1 ? '' : 's'}` : null}
        {results.isError ? <span className="text-red-600">Search failed.</span> : null}
      </div>
      <ul className="py-2">
        {(results.data ?? []).map((m) => (
          <li key={m.id}>
            <button
              type="button"
              onClick={() => onPick(m)}
              data-testid="search-result"
              className="flex w-full items-start gap-3 px-4 py-2 text-left hover:bg-slate-50 focus-visible:bg-slate-100 focus-visible:outline-none dark:hover:bg-slate-900 dark:focus-visible:bg-slate-800"
            >
              <Avatar id={m.senderId} name={m.sender.name} url={m.sender.avatarUrl} size="sm" />
              <span className="min-w-0 flex-1">
                <span className="flex justify-between gap-2 text-xs text-slate-500">
                  <span className="truncate font-medium text-slate-700 dark:text-slate-300">{m.sender.name}</span>
                  <time dateTime={m.createdAt}>{listTimeLabel(m.createdAt)}</time>
                </span>
                <span className="line-clamp-2 text-sm">{m.content}</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </SidePanel>
  );
}
