'use client';
// One thread: its replies as keyset pages like a history (newest page first, each oldest first),
// and its top message. Live replies, edits, deletions and reactions reach both through the sync
// engine's cache, so neither refetches on its own.
import { useInfiniteQuery, useQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import type { MessageDto, MessagePage } from '../../protocol';
import { api } from '../api';
import { queryKeys } from '../query-keys';
import { useSyncEngine } from '../sync-engine-provider';

export function useThreadReplies(rootId: string) {
  const { cache } = useSyncEngine();
  const qc = useQueryClient();
  return useInfiniteQuery<MessagePage, Error, InfiniteData<MessagePage, string | null>, ReturnType<typeof queryKeys.thread>, string | null>({
    queryKey: queryKeys.thread(rootId),
    queryFn: async ({ pageParam }) => {
      const page = await api.thread(rootId, pageParam ?? undefined);
      qc.setQueryData<MessageDto>(queryKeys.threadRoot(rootId), page.root);
      const replies: MessagePage = { messages: page.replies, nextCursor: page.nextCursor, hasMore: page.hasMore };
      return pageParam ? replies : cache.landedThreadPage(rootId, replies);
    },
    initialPageParam: null,
    getNextPageParam: (page) => (page.hasMore ? page.nextCursor : null),
    staleTime: Infinity,
  });
}

/** The thread's top message, as the thread's load (and live changes since) left it. */
export function useThreadRoot(rootId: string) {
  return useQuery<MessageDto>({
    queryKey: queryKeys.threadRoot(rootId),
    queryFn: async () => (await api.thread(rootId)).root,
    enabled: false,
    staleTime: Infinity,
  });
}

/** Threads I follow in a conversation with replies I have not read: root id → count. */
export function useUnreadThreads(conversationId: string): Map<string, number> {
  const query = useQuery({
    queryKey: queryKeys.unreadThreads(conversationId),
    queryFn: () => api.unreadThreads(conversationId),
    staleTime: Infinity,
  });
  return new Map((query.data ?? []).map((t) => [t.rootId, t.unreadCount]));
}
