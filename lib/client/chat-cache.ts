// The React Query cache as the socket and the outbox update it: each function applies one kind
// of change to every cached query it touches (history, conversation list, open conversation).
import type { QueryClient, QueryKey } from '@tanstack/react-query';
import type { ConversationDto, MessageDto, MessagePage } from '../protocol';
import {
  applyMessageChange,
  applyNewMessage,
  applyReceipt,
  removeConversation,
  upsertConversation,
  type ConversationList,
} from './conversation-cache';
import { applyEdit, flattenPages, markMessageDeleted, mergeNewestPage, upsertMessage, upsertMessages, type MessagePages } from './message-cache';
import { compareIds } from './message-order';
import { queryKeys } from './query-keys';

export function getConversations(qc: QueryClient): ConversationList | undefined {
  return qc.getQueryData<ConversationList>(queryKeys.conversations);
}

export function getMessages(qc: QueryClient, conversationId: string): MessagePages | undefined {
  return qc.getQueryData<MessagePages>(queryKeys.messages(conversationId));
}

/** In-flight first loads that already have a refetch queued behind them. */
const queuedBehind = new WeakSet<Promise<unknown>>();

/**
 * Fetches a query again so that it reflects everything stored so far. Usually that is an
 * invalidation. But while its first answer is on the way, a refetch would only join that
 * request, whose answer may predate the change: so one more fetch is queued behind it (one at
 * most, however many changes arrive meanwhile).
 */
export function refresh(qc: QueryClient, queryKey: QueryKey): Promise<void> {
  const query = qc.getQueryCache().find({ queryKey, exact: true });
  const firstLoad = query?.state.data === undefined ? query?.promise : undefined;
  if (!firstLoad) return qc.invalidateQueries({ queryKey, exact: true });
  if (queuedBehind.has(firstLoad)) return Promise.resolve();
  queuedBehind.add(firstLoad);
  return firstLoad.then(
    () => qc.invalidateQueries({ queryKey, exact: true }),
    () => qc.invalidateQueries({ queryKey, exact: true }),
  );
}

/**
 * Applies a change to a cached query (the conversation list, a history). One whose first answer
 * is still on its way has nothing to change yet, and that answer may predate the change (a
 * message sent from the outbox right after a reload, say): it is fetched again once loaded, so
 * the change is not lost. (Refetches merge with what live events put in the cache meanwhile.)
 */
function update<T>(qc: QueryClient, queryKey: QueryKey, change: (data: T) => T | undefined): void {
  if (qc.getQueryData<T>(queryKey) === undefined) {
    void refresh(qc, queryKey);
    return;
  }
  qc.setQueryData<T>(queryKey, (data) => (data === undefined ? data : change(data)));
}

const updateList = (qc: QueryClient, change: (list: ConversationList) => ConversationList | undefined) => update(qc, queryKeys.conversations, change);
const updateHistory = (qc: QueryClient, conversationId: string, change: (data: MessagePages) => MessagePages | undefined) =>
  update(qc, queryKeys.messages(conversationId), change);

export function cacheConversation(qc: QueryClient, conversation: ConversationDto): void {
  updateList(qc, (list) => upsertConversation(list, conversation));
  qc.setQueryData(queryKeys.conversation(conversation.id), conversation);
}

export function uncacheConversation(qc: QueryClient, conversationId: string): void {
  updateList(qc, (list) => removeConversation(list, conversationId));
  qc.removeQueries({ queryKey: queryKeys.conversation(conversationId) });
  qc.removeQueries({ queryKey: queryKeys.messages(conversationId) });
}

export function cacheNewMessage(qc: QueryClient, message: MessageDto, meId: string): void {
  updateHistory(qc, message.conversationId, (data) => upsertMessage(data, message));
  updateList(qc, (list) => applyNewMessage(list, message, meId));
}

/** Catch-up after a reconnect: merged without duplicates. */
export function cacheCaughtUp(qc: QueryClient, conversationId: string, messages: MessageDto[], meId: string): void {
  if (!messages.length) return;
  updateHistory(qc, conversationId, (data) => upsertMessages(data, messages));
  for (const message of messages) updateList(qc, (list) => applyNewMessage(list, message, meId));
}

/** The newest page of a history that held nothing: it becomes the history (with its paging), live arrivals kept. */
export function cacheFirstPage(qc: QueryClient, conversationId: string, page: MessagePage, meId: string): void {
  qc.setQueryData<MessagePages>(queryKeys.messages(conversationId), (data) =>
    data ? { pages: [mergeNewestPage(page, data.pages[0])], pageParams: [null] } : data,
  );
  for (const message of page.messages) updateList(qc, (list) => applyNewMessage(list, message, meId));
}

export function cacheEditedMessage(qc: QueryClient, message: MessageDto): void {
  updateHistory(qc, message.conversationId, (data) => applyEdit(data, message));
  updateList(qc, (list) =>
    applyMessageChange(list, message.conversationId, (m) => (m.id === message.id ? message : m)),
  );
}

export function cacheDeletedMessage(qc: QueryClient, conversationId: string, messageId: string): void {
  const at = new Date().toISOString();
  updateHistory(qc, conversationId, (data) => markMessageDeleted(data, messageId, at));
  updateList(qc, (list) =>
    applyMessageChange(list, conversationId, (m) => (m.id === messageId ? { ...m, content: '', attachment: null, deletedAt: at } : m)),
  );
}

export function cacheReceipt(
  qc: QueryClient,
  receipt: { conversationId: string; userId: string; kind: 'read' | 'delivered'; messageId: string; at: string },
  meId: string,
): void {
  // My unread count after reading up to a message: others' messages after it that I hold.
  const countUnreadAfter = (readId: string) => {
    const data = getMessages(qc, receipt.conversationId);
    if (!data) return undefined;
    return flattenPages(data).filter((m) => m.senderId !== meId && !m.deletedAt && compareIds(m.id, readId) > 0).length;
  };
  updateList(qc, (list) => applyReceipt(list, receipt, { id: meId, countUnreadAfter }));
  qc.setQueryData<ConversationDto>(queryKeys.conversation(receipt.conversationId), (one) =>
    one ? applyReceipt([one], receipt, { id: meId, countUnreadAfter })?.[0] : one,
  );
}
