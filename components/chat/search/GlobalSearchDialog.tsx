'use client';
// Search everywhere: messages of every conversation I am in (with the conversation's name, newest
// first, more on demand), people and channels. A message result opens its conversation and
// jumps to it (a thread-only reply opens its thread beside it); a person opens our conversation.
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { GlobalSearchDto, UserSummary } from '@/lib/protocol';
import { Avatar } from '@/components/ui/Avatar';
import { Modal } from '@/components/ui/Modal';
import { api } from '@/lib/client/api';
import { conversationTitle } from '@/lib/client/format';
import { useConversations } from '@/lib/client/hooks/useConversations';
import { useDebouncedValue } from '@/lib/client/hooks/useDebouncedValue';
import { queryKeys } from '@/lib/client/query-keys';
import { useJumpStore } from '@/lib/client/stores/jump';
import { useThreadStore } from '@/lib/client/stores/thread';
import { MessageResult, resultButton as resultLook } from './MessageResult';

type MessageHit = GlobalSearchDto['messages'][number];

const resultButton = `${resultLook} rounded-lg px-3 py-2`;

export function GlobalSearchDialog({ me, onOpen, onClose }: { me: UserSummary; onOpen: (conversationId: string) => void; onClose: () => void }) {
  const [q, setQ] = useState('');
  const [error, setError] = useState<string | null>(null);
  const query = useDebouncedValue(q.trim(), 250);
  const { data: conversations } = useConversations();
  const jumpTo = useJumpStore((s) => s.jumpTo);
  const openThread = useThreadStore((s) => s.openThread);
  const results = useInfiniteQuery({
    queryKey: queryKeys.globalSearch(query),
    queryFn: ({ pageParam }) => api.searchEverywhere(query, pageParam ?? undefined),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    enabled: query.length > 0,
    staleTime: 10_000,
  });
  const first = results.data?.pages[0];
  const hits = results.data?.pages.flatMap((page) => page.messages) ?? [];

  function titleOf(hit: MessageHit): string {
    const known = conversations?.find((c) => c.id === hit.conversation.id);
    return known ? conversationTitle(known, me.id) : (hit.conversation.name ?? 'Direct message');
  }

  function pickMessage({ message }: MessageHit) {
    onClose();
    onOpen(message.conversationId);
    if (message.threadRootId && !message.alsoInConversation) {
      jumpTo(message.conversationId, message.threadRootId);
      openThread(message.conversationId, message.threadRootId, message.id);
    } else {
      jumpTo(message.conversationId, message.id);
    }
  }

  async function pickPerson(user: UserSummary) {
    try {
      const conversation = await api.createConversation({ type: 'private', participantIds: [user.id] });
      onClose();
      onOpen(conversation.id);
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Could not open the conversation.');
    }
  }

  const nothing = results.isSuccess && hits.length === 0 && !first?.people.length && !first?.channels.length;

  return (
    <Modal title="Search everywhere" onClose={onClose} wide>
      <label htmlFor="global-search" className="sr-only">
        Search messages, people and channels
      </label>
      <input
        id="global-search"
        type="search"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        placeholder="Search messages, people and channels"
        className="text-input"
        autoFocus
      />
      <div role="status" className="mt-2 min-h-4 text-xs text-slate-500">
        {results.isFetching && !results.isFetchingNextPage ? 'Searching…' : nothing ? 'Nothing found.' : null}
        {results.isError ? <span className="text-red-600">{results.error.message}</span> : null}
        {error ? <span className="text-red-600">{error}</span> : null}
      </div>
      <div className="-mx-2 mt-1 max-h-[60vh] overflow-y-auto">
        {first?.people.length ? (
          <section aria-label="People" className="mb-2">
            <h3 className="px-3 py-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">People</h3>
            <ul>
              {first.people.map((user) => (
                <li key={user.id}>
                  <button type="button" data-testid="global-person" className={resultButton} onClick={() => void pickPerson(user)}>
                    <Avatar id={user.id} name={user.name} url={user.avatarUrl} size="sm" />
                    <span className="min-w-0">
                      <span className="block truncate text-sm font-medium">{user.name}</span>
                      <span className="block truncate text-xs text-slate-500">@{user.username}</span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {first?.channels.length ? (
          <section aria-label="Channels" className="mb-2">
            <h3 className="px-3 py-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">Channels</h3>
            <ul>
              {first.channels.map((channel) => (
                <li key={channel.id}>
                  <button
                    type="button"
                    data-testid="global-channel"
                    className={resultButton}
                    onClick={() => {
                      onClose();
                      onOpen(channel.id);
                    }}
                  >
                    <span aria-hidden className="flex h-8 w-8 shrink-0 items-center justify-center rounded-lg bg-slate-100 font-semibold dark:bg-slate-800">
                      #
                    </span>
                    <span className="min-w-0">
                      <span className="block truncate text-sm font-medium">{channel.name}</span>
                      <span className="block truncate text-xs text-slate-500">
                        {channel.memberCount} member{channel.memberCount === 1 ? '' : 's'}
                        {channel.isMember ? '' : ' · public, not joined'}
                        {channel.description ? ` · ${channel.description}` : ''}
                      </span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {hits.length ? (
          <section aria-label="Messages">
            <h3 className="px-3 py-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">Messages</h3>
            <ul>
              {hits.map((hit) => (
                <li key={hit.message.id}>
                  <MessageResult
                    message={hit.message}
                    heading={
                      <>
                        <span className="font-medium text-slate-700 dark:text-slate-300" data-testid="global-message-conversation">
                          {titleOf(hit)}
                        </span>
                        {' · '}
                        {hit.message.sender.name}
                        {hit.message.threadRootId ? ' · in a thread' : ''}
                      </>
                    }
                    testId="global-message"
                    className="rounded-lg px-3 py-2"
                    onPick={() => pickMessage(hit)}
                  />
                </li>
              ))}
            </ul>
            {results.hasNextPage ? (
              <button type="button" className="mx-3 my-2 text-sm underline" disabled={results.isFetchingNextPage} onClick={() => void results.fetchNextPage()}>
                {results.isFetchingNextPage ? 'Loading…' : 'More messages'}
              </button>
            ) : null}
          </section>
        ) : null}
      </div>
    </Modal>
  );
}
