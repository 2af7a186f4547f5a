// The React Query cache as the socket and the outbox update it: each function applies one kind
// of change to every cached query it touches (history, conversation list, open conversation).
import type { QueryClient } from '@tanstack/react-query';
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

/**
 * Applies a change to a conversation's cached history. A history whose first page is still on
 * its way has nothing to change, and that request may have been answered before this change was
 * stored (a message sent from the outbox right after a reload, say): it is asked again, so the
 * change is not lost.
 */
function updateHistory(qc: QueryClient, conversationId: string, change: (data: MessagePages) => MessagePages | undefined): void {
  const key = queryKeys.messages(conversationId);
  const state = qc.getQueryState(key);
  if (state && state.data === undefined) {
    // A plain refetch would join the request under way (there is no data to protect), so cancel it first.
    if (state.fetchStatus === 'fetching') {
      void qc.cancelQueries({ queryKey: key, exact: true }).then(() => qc.refetchQueries({ queryKey: key, exact: true }));
    }
    return;
  }
  qc.setQueryData<MessagePages>(key, (data) => (data ? change(data) : data));
}

export function cacheConversation(qc: QueryClient, conversation: ConversationDto): void {
  qc.setQueryData<ConversationList>(queryKeys.conversations, (list) => upsertConversation(list, conversation));
  qc.setQueryData(queryKeys.conversation(conversation.id), conversation);
}

export function uncacheConversation(qc: QueryClient, conversationId: string): void {
  qc.setQueryData<ConversationList>(queryKeys.conversations, (list) => removeConversation(list, conversationId));
  qc.removeQueries({ queryKey: queryKeys.conversation(conversationId) });
  qc.removeQueries({ queryKey: queryKeys.messages(conversationId) });
}

export function cacheNewMessage(qc: QueryClient, message: MessageDto, meId: string): void {
  updateHistory(qc, message.conversationId, (data) => upsertMessage(data, message));
  qc.setQueryData<ConversationList>(queryKeys.conversations, (list) => applyNewMessage(list, message, meId));
}

/** Catch-up after a reconnect: merged without duplicates. */
export function cacheCaughtUp(qc: QueryClient, conversationId: string, messages: MessageDto[], meId: string): void {
  if (!messages.length) return;
  updateHistory(qc, conversationId, (data) => upsertMessages(data, messages));
  for (const message of messages) qc.setQueryData<ConversationList>(queryKeys.conversations, (list) => applyNewMessage(list, message, meId));
}

/** The newest page of a history that held nothing: it becomes the history (with its paging), live arrivals kept. */
export function cacheFirstPage(qc: QueryClient, conversationId: string, page: MessagePage, meId: string): void {
  qc.setQueryData<MessagePages>(queryKeys.messages(conversationId), (data) =>
    data ? { pages: [mergeNewestPage(page, data.pages[0])], pageParams: [null] } : data,
  );
  for (const message of page.messages) qc.setQueryData<ConversationList>(queryKeys.conversations, (list) => applyNewMessage(list, message, meId));
}

export function cacheEditedMessage(qc: QueryClient, message: MessageDto): void {
  updateHistory(qc, message.conversationId, (data) => applyEdit(data, message));
  qc.setQueryData<ConversationList>(queryKeys.conversations, (list) =>
    applyMessageChange(list, message.conversationId, (m) => (m.id === message.id ? message : m)),
  );
}

export function cacheDeletedMessage(qc: QueryClient, conversationId: string, messageId: string): void {
  const at = new Date().toISOString();
  updateHistory(qc, conversationId, (data) => markMessageDeleted(data, messageId, at));
  qc.setQueryData<ConversationList>(queryKeys.conversations, (list) =>
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
  qc.setQueryData<ConversationList>(queryKeys.conversations, (list) => applyReceipt(list, receipt, { id: meId, countUnreadAfter }));
  qc.setQueryData<ConversationDto>(queryKeys.conversation(receipt.conversationId), (one) =>
    one ? applyReceipt([one], receipt, { id: meId, countUnreadAfter })?.[0] : one,
  );
}
