'use client';
// A conversation's history as keyset pages, newest page first; scrolling up loads older pages.
// Live messages are added to the cache by the sync engine, so this never refetches on its own.
import { useInfiniteQuery, type InfiniteData } from '@tanstack/react-query';
import type { MessagePage } from '../../protocol';
import { api } from '../api';
import { queryKeys } from '../query-keys';
import { useSyncEngine } from '../sync-engine-provider';

export const HISTORY_PAGE_SIZE = 50;

export function useMessages(conversationId: string) {
  const { cache } = useSyncEngine();
  return useInfiniteQuery<MessagePage, Error, InfiniteData<MessagePage, string | null>, ReturnType<typeof queryKeys.messages>, string | null>({
    queryKey: queryKeys.messages(conversationId),
    queryFn: async ({ pageParam }) => {
      const page = await api.listMessages(conversationId, { before: pageParam ?? undefined, limit: HISTORY_PAGE_SIZE });
      if (pageParam) return page;
      // The newest page: with live messages that arrived while it was on its way.
      return cache.landedNewestPage(conversationId, page);
    },
    initialPageParam: null,
    getNextPageParam: (page) => (page.hasMore ? page.nextCursor : null),
    staleTime: Infinity,
  });
}
