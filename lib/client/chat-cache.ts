// The React Query cache as the sync engine writes to it: each method applies one kind of change
// to every cached query it touches (history, conversation list, one conversation).
//
// A change to a query whose first load is still on its way waits for that load: the server's
// answer may predate the change, so the change is applied to the answer as it lands (`landed…`,
// called by the query functions in hooks/). Every change is idempotent (messages dedupe by id and
// clientId, cursors and last messages only move forward), so applying one the answer already
// holds is harmless. A query nobody is loading is left alone: whoever loads it later asks the
// server after the change.
import { hashKey, type QueryClient, type QueryKey } from '@tanstack/react-query';
import type { ConversationDto, MessageDto, MessagePage, NotificationSettingsDto } from '../protocol';
import {
  applyMessageChange,
  applyNewMessage,
  applyReceipt,
  mergeConversation,
  mergeConversationLists,
  removeConversation,
  upsertConversation,
  type ConversationList,
  type ReceiptMove,
} from './conversation-cache';
import { applyEdit, flattenPages, markMessageDeleted, mergeNewestPage, newestSeq, upsertMessage, upsertMessages, type MessagePages } from './message-cache';
import { queryKeys } from './query-keys';

type Change<T> = (data: T) => T | undefined;

export class ChatCache {
  /** Changes waiting for a first load, by query hash, in arrival order. */
  private readonly waiting = new Map<string, Change<unknown>[]>();
  /** Where each history's first answer ended (before waiting changes): catch-up continues from there. */
  private readonly firstAnswerSeq = new Map<string, number>();

  constructor(
    readonly qc: QueryClient,
    readonly meId: string,
  ) {}

  conversations(): ConversationList | undefined {
    return this.qc.getQueryData<ConversationList>(queryKeys.conversations);
  }

  messages(conversationId: string): MessagePages | undefined {
    return this.qc.getQueryData<MessagePages>(queryKeys.messages(conversationId));
  }

  // -------------------------------------------------------------------------------------------
  // First loads

  private update<T>(queryKey: QueryKey, change: Change<T>): void {
    const hash = hashKey(queryKey);
    const waiting = this.waiting.get(hash) as Change<T>[] | undefined;
    const query = this.qc.getQueryCache().find<T>({ queryKey, exact: true });
    if (query?.state.data !== undefined) {
      // (Changes still waiting here mean the query got its data some other way: they go first.)
      this.waiting.delete(hash);
      const changes = [...(waiting ?? []), change];
      this.qc.setQueryData<T>(queryKey, (data) => (data === undefined ? data : applyAll(data, changes)));
    } else if (waiting) {
      waiting.push(change);
    } else if (query?.state.fetchStatus === 'fetching') {
      this.waiting.set(hash, [change as unknown as Change<unknown>]);
    }
  }

  /** A first answer lands: the changes that waited for it are applied to it. */
  private landed<T>(queryKey: QueryKey, answer: T): T {
    const hash = hashKey(queryKey);
    const waiting = (this.waiting.get(hash) ?? []) as Change<T>[];
    this.waiting.delete(hash);
    return applyAll(answer, waiting);
  }

  /** The conversation list as the server just sent it, with what the cache learned meanwhile. */
  landedConversationList(fresh: ConversationList): ConversationList {
    const cached = this.conversations();
    return cached ? mergeConversationLists(fresh, cached, this.meId) : this.landed(queryKeys.conversations, fresh);
  }

  /** A history's newest page as the server just sent it, with what the cache learned meanwhile. */
  landedNewestPage(conversationId: string, page: MessagePage): MessagePage {
    const cached = this.messages(conversationId);
    if (cached) return mergeNewestPage(page, cached.pages[0]);
    this.firstAnswerSeq.set(conversationId, page.messages[page.messages.length - 1]?.seq ?? 0);
    return this.landed<MessagePages>(queryKeys.messages(conversationId), { pages: [page], pageParams: [null] }).pages[0]!;
  }

  /**
   * Where each held history ends (its newest seq). Take this on connect, before the new
   * connection's live events move the ends past what was missed.
   */
  heldHistoryEnds(): Map<string, number> {
    const ends = new Map<string, number>();
    for (const [key, data] of this.qc.getQueriesData<MessagePages>({ queryKey: queryKeys.allMessages })) {
      const conversationId = key[1];
      const seq = newestSeq(data);
      if (typeof conversationId === 'string' && seq !== null) ends.set(conversationId, seq);
    }
    return ends;
  }

  /** Histories whose first load is on its way: where each answer ends, once it lands (null if it fails). */
  historiesLoading(): Map<string, Promise<number | null>> {
    const loading = new Map<string, Promise<number | null>>();
    for (const query of this.qc.getQueryCache().findAll({ queryKey: queryKeys.allMessages })) {
      const conversationId = query.queryKey[1];
      if (typeof conversationId !== 'string' || query.state.data !== undefined || query.state.fetchStatus !== 'fetching') continue;
      const answer = query.promise ?? Promise.reject(new Error('no fetch'));
      loading.set(
        conversationId,
        answer.then(
          () => this.firstAnswerSeq.get(conversationId) ?? null,
          () => null,
        ),
      );
    }
    return loading;
  }

  // -------------------------------------------------------------------------------------------
  // Changes

  private updateList(change: Change<ConversationList>): void {
    this.update(queryKeys.conversations, change);
  }

  private updateHistory(conversationId: string, change: Change<MessagePages>): void {
    this.update(queryKeys.messages(conversationId), change);
  }

  /** A conversation as the server describes it now; cursors and last message never move back. */
  conversation(conversation: ConversationDto): void {
    this.updateList((list) => upsertConversation(list, mergeConversation(conversation, list.find((c) => c.id === conversation.id), this.meId)));
    this.qc.setQueryData<ConversationDto>(queryKeys.conversation(conversation.id), (cached) => mergeConversation(conversation, cached, this.meId));
  }

  /** My own notification settings changed (in another tab, say). */
  notificationSettings(settings: NotificationSettingsDto): void {
    this.qc.setQueryData(queryKeys.notificationSettings, settings);
  }

  /** The whole list as the server gave it (catch-up), merged with what the cache holds. */
  conversationList(fresh: ConversationList): void {
    this.updateList((list) => mergeConversationLists(fresh, list, this.meId));
  }

  /** Whether the loaded list has this conversation (undefined while the list is not loaded). */
  knowsConversation(conversationId: string): boolean | undefined {
    return this.conversations()?.some((c) => c.id === conversationId);
  }

  /** Fetches the conversation list again (merged with live changes when it lands). */
  refetchConversations(): Promise<void> {
    return this.qc.invalidateQueries({ queryKey: queryKeys.conversations, exact: true });
  }

  /** Fetches a history again (its newest page merged with live arrivals when it lands). */
  refetchHistory(conversationId: string): Promise<void> {
    return this.qc.invalidateQueries({ queryKey: queryKeys.messages(conversationId), exact: true });
  }

  uncacheConversation(conversationId: string): void {
    this.updateList((list) => removeConversation(list, conversationId));
    for (const key of [queryKeys.conversation(conversationId), queryKeys.messages(conversationId)]) {
      this.waiting.delete(hashKey(key));
      this.qc.removeQueries({ queryKey: key, exact: true });
    }
  }

  newMessage(message: MessageDto): void {
    this.updateHistory(message.conversationId, (data) => upsertMessage(data, message));
    this.updateList((list) => applyNewMessage(list, message, this.meId));
  }

  /** Messages missed while away, oldest first: merged without duplicates. */
  caughtUp(conversationId: string, messages: MessageDto[]): void {
    if (!messages.length) return;
    this.updateHistory(conversationId, (data) => upsertMessages(data, messages));
    for (const message of messages) this.updateList((list) => applyNewMessage(list, message, this.meId));
  }

  editedMessage(message: MessageDto): void {
    this.updateHistory(message.conversationId, (data) => applyEdit(data, message));
    this.updateList((list) => applyMessageChange(list, message.conversationId, (m) => (m.id === message.id ? message : m)));
  }

  deletedMessage(conversationId: string, messageId: string): void {
    const at = new Date().toISOString();
    this.updateHistory(conversationId, (data) => markMessageDeleted(data, messageId, at));
    this.updateList((list) =>
      applyMessageChange(list, conversationId, (m) => (m.id === messageId ? { ...m, content: '', attachment: null, location: null, deletedAt: at } : m)),
    );
  }

  /** A member's read or delivered cursor moved forward. */
  receipt(move: ReceiptMove): void {
    // My unread count after reading up to a seq: others' messages after it that I hold.
    const countUnreadAfter = (readSeq: number) => {
      const data = this.messages(move.conversationId);
      if (!data) return undefined;
      return flattenPages(data).filter((m) => m.senderId !== this.meId && !m.deletedAt && m.seq > readSeq).length;
    };
    const me = { id: this.meId, countUnreadAfter };
    this.updateList((list) => applyReceipt(list, move, me));
    this.qc.setQueryData<ConversationDto>(queryKeys.conversation(move.conversationId), (one) => (one ? applyReceipt([one], move, me)?.[0] : one));
  }

  /** My own receipt cursor in a conversation (null: nothing yet, or the list is not loaded). */
  myCursor(conversationId: string, kind: 'read' | 'delivered'): number | null {
    const mine = this.conversations()
      ?.find((c) => c.id === conversationId)
      ?.participants.find((p) => p.user.id === this.meId);
    return (kind === 'read' ? mine?.lastReadSeq : mine?.lastDeliveredSeq) ?? null;
  }
}

function applyAll<T>(data: T, changes: Change<T>[]): T {
  return changes.reduce<T>((acc, change) => change(acc) ?? acc, data);
}
