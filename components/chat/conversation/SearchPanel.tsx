'use client';
// Search within the open conversation; choosing a result jumps to that message.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { MessageDto } from '@/lib/protocol';
import { api } from '@/lib/client/api';
import { useDebouncedValue } from '@/lib/client/hooks/useDebouncedValue';
import { queryKeys } from '@/lib/client/query-keys';
import { MessageResult } from '../search/MessageResult';
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
            <MessageResult
              message={m}
              heading={<span className="font-medium text-slate-700 dark:text-slate-300">{m.sender.name}</span>}
              testId="search-result"
              className="px-4 py-2"
              onPick={() => onPick(m)}
            />
          </li>
        ))}
      </ul>
    </SidePanel>
  );
}
