'use client';
// Server data about conversations: the list (kept live by socket events) and one of them.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../api';
import { cacheConversation } from '../chat-cache';
import { mergeConversationLists, type ConversationList } from '../conversation-cache';
import { queryKeys } from '../query-keys';
import { useConnectionStore } from '../stores/connection';

export function useConversations() {
  const qc = useQueryClient();
  return useQuery({
    queryKey: queryKeys.conversations,
    queryFn: async () => {
      const fresh = await api.listConversations();
      // Socket events may have moved the cache past the server's answer while it was on its way.
      // (Only a live client applies events, so without one there is nothing to merge.)
      const meId = useConnectionStore.getState().client?.me.id;
      return meId ? mergeConversationLists(fresh, qc.getQueryData<ConversationList>(queryKeys.conversations), meId) : fresh;
    },
  });
}

/**
 * One conversation, read from the list. A deep link to one the list does not hold (yet) asks the
 * server, so a just-created conversation opens and a foreign id shows "not found".
 */
export function useConversation(conversationId: string | null) {
  const qc = useQueryClient();
  const list = useConversations();
  const fromList = conversationId ? list.data?.find((c) => c.id === conversationId) : undefined;
  const single = useQuery({
    queryKey: queryKeys.conversation(conversationId ?? ''),
    queryFn: async () => {
      const conversation = await api.getConversation(conversationId!);
      cacheConversation(qc, conversation);
      return conversation;
    },
    enabled: Boolean(conversationId) && list.isSuccess && !fromList,
    retry: (count, error) => !(error instanceof ApiError && error.status === 404) && count < 1,
  });
  const conversation = fromList ?? (list.isSuccess ? single.data : undefined);
  const notFound = !fromList && single.error instanceof ApiError && single.error.status === 404;
  return { conversation, notFound };
}
