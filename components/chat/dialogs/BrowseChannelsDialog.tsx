'use client';
// "Browse channels": every public channel on the server by name or description, with its member
// count; join one (its whole history opens) or open one already joined. More load on demand.
import { useState } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import type { ChannelDto } from '@/lib/protocol';
import { Modal } from '@/components/ui/Modal';
import { Icon } from '@/components/ui/Icon';
import { api } from '@/lib/client/api';
import { useDebouncedValue } from '@/lib/client/hooks/useDebouncedValue';
import { useSyncEngine } from '@/lib/client/sync-engine-provider';

export function BrowseChannelsDialog({ onClose, onOpen }: { onClose: () => void; onOpen: (conversationId: string) => void }) {
  const { cache } = useSyncEngine();
  const [query, setQuery] = useState('');
  const q = useDebouncedValue(query.trim());
  const [joining, setJoining] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const channels = useInfiniteQuery({
    queryKey: ['channels', q],
    queryFn: ({ pageParam }) => api.browseChannels(q, pageParam ?? undefined),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const list = channels.data?.pages.flatMap((page) => page.channels) ?? [];

  async function join(channel: ChannelDto) {
    setJoining(channel.id);
    setError(null);
    try {
      cache.conversation(await api.joinChannel(channel.id));
      onOpen(channel.id);
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Could not join the channel.');
      setJoining(null);
    }
  }

  return (
    <Modal title="Browse channels" onClose={onClose} wide>
      <label className="relative block">
        <span className="sr-only">Search channels</span>
        <Icon name="search" className="pointer-events-none absolute top-2.5 left-3 h-4 w-4 text-slate-400" />
        <input type="search" autoFocus value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Search channels" className="text-input pl-9" />
      </label>
      {error ? (
        <p role="alert" className="mt-3 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/50 dark:text-red-300">
          {error}
        </p>
      ) : null}
      <ul aria-label="Channels" className="mt-3 max-h-96 overflow-y-auto">
        {list.map((channel) => (
          <li key={channel.id} data-testid="channel" className="flex items-center gap-3 rounded-lg px-2 py-2 hover:bg-slate-50 dark:hover:bg-slate-800/60">
            <span className="min-w-0 flex-1">
              <span className="block truncate text-sm font-medium"># {channel.name}</span>
              <span className="block truncate text-xs text-slate-500 dark:text-slate-400">
                {channel.memberCount} member{channel.memberCount === 1 ? '' : 's'}
                {channel.description ? ` · ${channel.description}` : ''}
              </span>
            </span>
            {channel.joined ? (
              <button type="button" className="button-secondary px-3 py-1 text-sm" onClick={() => onOpen(channel.id)}>
                Open
              </button>
            ) : (
              <button type="button" className="button-primary px-3 py-1 text-sm" disabled={joining !== null} onClick={() => void join(channel)} aria-label={`Join ${channel.name}`}>
                {joining === channel.id ? 'Joining…' : 'Join'}
              </button>
            )}
          </li>
        ))}
      </ul>
      {channels.isPending ? (
        <p role="status" className="py-4 text-center text-sm text-slate-500">
          Loading channels…
        </p>
      ) : channels.isError ? (
        <p role="alert" className="py-4 text-center text-sm text-red-600">
          Could not load channels.
        </p>
      ) : list.length === 0 ? (
        <p className="py-4 text-center text-sm text-slate-500">{q ? 'No public channel matches.' : 'No public channels yet.'}</p>
      ) : null}
      {channels.hasNextPage ? (
        <button type="button" className="mt-2 w-full text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400" onClick={() => void channels.fetchNextPage()}>
          {channels.isFetchingNextPage ? 'Loading…' : 'Show more'}
        </button>
      ) : null}
    </Modal>
  );
}
