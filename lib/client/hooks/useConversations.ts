'use client';
// Server data about conversations: the list (kept live by socket events) and one of them.
import { useQuery } from '@tanstack/react-query';
import { api, ApiError } from '../api';
import { queryKeys } from '../query-keys';
import { useSyncEngine } from '../sync-engine-provider';

export function useConversations() {
  const { cache } = useSyncEngine();
  return useQuery({
    queryKey: queryKeys.conversations,
    // Live events may have moved the cache past the server's answer while it was on its way, or
    // waited for this first answer: the engine's cache puts them together.
    queryFn: async () => cache.landedConversationList(await api.listConversations()),
  });
}

/**
 * One conversation, read from the list. A deep link to one the list does not hold (yet) asks the
 * server, so a just-created conversation opens and a foreign id shows "not found".
 */
export function useConversation(conversationId: string | null) {
  const { cache } = useSyncEngine();
  const list = useConversations();
  const fromList = conversationId ? list.data?.find((c) => c.id === conversationId) : undefined;
  const single = useQuery({
    queryKey: queryKeys.conversation(conversationId ?? ''),
    queryFn: async () => {
      const conversation = await api.getConversation(conversationId!);
      cache.conversation(conversation);
      return conversation;
    },
    enabled: Boolean(conversationId) && list.isSuccess && !fromList,
    retry: (count, error) => !(error instanceof ApiError && error.status === 404) && count < 1,
  });
  const conversation = fromList ?? (list.isSuccess ? single.data : undefined);
  const notFound = !fromList && single.error instanceof ApiError && single.error.status === 404;
  return { conversation, notFound };
}
