// After a reconnect: fetch what was missed while away. Messages come from the `after` cursor of
// each conversation whose history is cached (merged without duplicates); conversations, unread
// counts and receipt cursors are refetched as a whole.
import type { QueryClient } from '@tanstack/react-query';
import { api } from './api';
import { cacheCaughtUp, cacheFirstPage, refresh } from './chat-cache';
import { newestMessageId, type MessagePages } from './message-cache';
import { queryKeys } from './query-keys';

const CATCH_UP_PAGE = 100;

/**
 * Where each cached history ends. Take this synchronously on "connect", before any live event of
 * the new connection lands in the cache and moves the newest id past the gap.
 */
export function historyCursors(qc: QueryClient): Map<string, string | null> {
  const cursors = new Map<string, string | null>();
  for (const [key, data] of qc.getQueriesData<MessagePages>({ queryKey: queryKeys.allMessages })) {
    const conversationId = key[1];
    if (typeof conversationId === 'string' && data) cursors.set(conversationId, newestMessageId(data));
  }
  return cursors;
}

async function catchUpConversation(qc: QueryClient, conversationId: string, after: string | null, meId: string): Promise<string | null> {
  let newestFromOthers: string | null = null;
  if (!after) {
    // An empty history: load its newest page (merged: a plain refetch could drop live messages).
    const page = await api.listMessages(conversationId, { limit: CATCH_UP_PAGE });
    cacheFirstPage(qc, conversationId, page, meId);
    for (const m of page.messages) if (m.senderId !== meId) newestFromOthers = m.id;
    return newestFromOthers;
  }
  let cursor = after;
  for (;;) {
    const page = await api.listMessages(conversationId, { after: cursor, limit: CATCH_UP_PAGE });
    cacheCaughtUp(qc, conversationId, page.messages, meId);
    for (const m of page.messages) if (m.senderId !== meId) newestFromOthers = m.id;
    if (!page.hasMore || !page.nextCursor) return newestFromOthers;
    cursor = page.nextCursor;
  }
}

/** Returns, per conversation, the newest caught-up message from someone else (to mark delivered). */
export async function catchUp(qc: QueryClient, cursors: Map<string, string | null>, meId: string): Promise<Map<string, string>> {
  const newest = new Map<string, string>();
  await Promise.all(
    [...cursors].map(async ([conversationId, after]) => {
      try {
        const id = await catchUpConversation(qc, conversationId, after, meId);
        if (id) newest.set(conversationId, id);
      } catch {
        // Gone (left or removed while away) or the server is busy: a refetch sorts it out.
        await qc.invalidateQueries({ queryKey: queryKeys.messages(conversationId) });
      }
    }),
  );
  await refresh(qc, queryKeys.conversations);
  return newest;
}
