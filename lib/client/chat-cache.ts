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
import type { ConversationDto, FollowedThreadDto, MessageDto, MessagePage, NotificationSettingsDto, ThreadSummaryDto } from '../protocol';
import {
  applyMessageChange,
  applyNewMessage,
  applyReceipt,
  mergeConversation,
  mentionsMe,
  mergeConversationLists,
  removeConversation,
  upsertConversation,
  type ConversationList,
  type ReceiptMove,
} from './conversation-cache';
import {
  applyEdit,
  flattenPages,
  markMessageDeleted,
  mergeNewestPage,
  newestSeq,
  updateMessage,
  upsertMessage,
  upsertMessages,
  type MessagePages,
} from './message-cache';
import { inTimeline } from './message-rows';
import { withReaction, type ReactionChange } from './reactions';
import { queryKeys } from './query-keys';

type Change<T> = (data: T) => T | undefined;

export class ChatCache {
  /** Changes waiting for a first load, by query hash, in arrival order. */
  private readonly waiting = new Map<string, Change<unknown>[]>();
  /** Where each history's first answer ended (before waiting changes): catch-up continues from there. */
  private readonly firstAnswerSeq = new Map<string, number>();
  /** Read-only views the user deleted from their list (see forgetConversation). */
  private readonly forgotten = new Set<string>();

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
    fresh = this.withoutForgotten(fresh);
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

  /** A thread's newest replies as the server just sent them, with what the cache learned meanwhile. */
  landedThreadPage(rootId: string, page: MessagePage): MessagePage {
    const key = queryKeys.thread(rootId);
    const cached = this.qc.getQueryData<MessagePages>(key);
    if (cached) return mergeNewestPage(page, cached.pages[0]);
    return this.landed<MessagePages>(key, { pages: [page], pageParams: [null] }).pages[0]!;
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
    if (conversation.left && this.forgotten.has(conversation.id)) return;
    this.updateList((list) => upsertConversation(list, mergeConversation(conversation, list.find((c) => c.id === conversation.id), this.meId)));
    this.qc.setQueryData<ConversationDto>(queryKeys.conversation(conversation.id), (cached) => mergeConversation(conversation, cached, this.meId));
  }

  /** My own notification settings changed (in another tab, say). */
  notificationSettings(settings: NotificationSettingsDto): void {
    this.qc.setQueryData(queryKeys.notificationSettings, settings);
  }

  /** The whole list as the server gave it (catch-up), merged with what the cache holds. */
  conversationList(fresh: ConversationList): void {
    fresh = this.withoutForgotten(fresh);
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

  /**
   * A removed member deleted the read-only view from their list: it goes, and an answer that was
   * on its way before the deletion (a catch-up, a refetch) does not bring it back. Rejoining
   * brings it back as a member's conversation (no `left`), which is not held back.
   */
  forgetConversation(conversationId: string): void {
    this.forgotten.add(conversationId);
    this.uncacheConversation(conversationId);
  }

  private withoutForgotten(list: ConversationList): ConversationList {
    return this.forgotten.size ? list.filter((c) => !(c.left && this.forgotten.has(c.id))) : list;
  }

  uncacheConversation(conversationId: string): void {
    this.updateList((list) => removeConversation(list, conversationId));
    for (const key of [queryKeys.conversation(conversationId), queryKeys.messages(conversationId)]) {
      this.waiting.delete(hashKey(key));
      this.qc.removeQueries({ queryKey: key, exact: true });
    }
  }

  newMessage(message: MessageDto): void {
    if (message.threadRootId) this.threadReplies([message]);
    // A thread-only reply stays out of the timeline, the list's last message and unread counts.
    if (!inTimeline(message)) return;
    this.updateHistory(message.conversationId, (data) => upsertMessage(data, message));
    this.updateList((list) => applyNewMessage(list, message, this.meId));
  }

  /** Messages missed while away (thread replies too), oldest first: merged without duplicates. */
  caughtUp(conversationId: string, messages: MessageDto[]): void {
    if (!messages.length) return;
    const replies = messages.filter((m) => m.threadRootId);
    if (replies.length) this.threadReplies(replies);
    const timeline = messages.filter(inTimeline);
    if (!timeline.length) return;
    this.updateHistory(conversationId, (data) => upsertMessages(data, timeline));
    for (const message of timeline) this.updateList((list) => applyNewMessage(list, message, this.meId));
  }

  /** Thread replies go into their threads' loaded replies; my followed threads' markers are asked again. */
  private threadReplies(replies: MessageDto[]): void {
    for (const reply of replies) this.update<MessagePages>(queryKeys.thread(reply.threadRootId!), (data) => upsertMessage(data, reply));
    const fromOthers = new Set(replies.filter((r) => r.senderId !== this.meId).map((r) => r.conversationId));
    for (const conversationId of fromOthers) void this.qc.invalidateQueries({ queryKey: queryKeys.unreadThreads(conversationId), exact: true });
  }

  /** Every loaded thread's replies. */
  private updateThreads(change: Change<MessagePages>): void {
    for (const query of this.qc.getQueryCache().findAll({ queryKey: queryKeys.allThreads })) this.update(query.queryKey, change);
  }

  /** A message wherever it is held: the timeline, a thread's replies, a thread's top message. */
  private updateMessageEverywhere(conversationId: string, messageId: string, change: (message: MessageDto) => MessageDto): void {
    this.updateHistory(conversationId, (data) => updateMessage(data, messageId, change));
    this.updateThreads((data) => updateMessage(data, messageId, change));
    this.qc.setQueryData<MessageDto>(queryKeys.threadRoot(messageId), (root) => (root ? change(root) : root));
  }

  reactionChanged(conversationId: string, change: ReactionChange): void {
    this.updateMessageEverywhere(conversationId, change.messageId, (m) => withReaction(m, change));
  }

  /** A thread's summary on its top message; of two, the one with the newer last reply stands. */
  threadUpdated(conversationId: string, rootId: string, thread: ThreadSummaryDto): void {
    this.updateMessageEverywhere(conversationId, rootId, (m) =>
      m.thread && m.thread.lastReplySeq > thread.lastReplySeq ? m : { ...m, thread: thread.replyCount > 0 ? thread : null },
    );
  }

  /** I read a thread up to a reply: its unread marker goes. */
  threadRead(conversationId: string, rootId: string): void {
    this.qc.setQueryData<FollowedThreadDto[]>(queryKeys.unreadThreads(conversationId), (threads) => threads?.filter((t) => t.rootId !== rootId));
  }

  editedMessage(message: MessageDto): void {
    this.updateThreads((data) => applyEdit(data, message));
    this.qc.setQueryData<MessageDto>(queryKeys.threadRoot(message.id), (root) => (root ? { ...message, thread: root.thread, reactions: root.reactions } : root));
    if (!inTimeline(message)) return;
    this.updateHistory(message.conversationId, (data) => applyEdit(data, message));
    this.updateList((list) => applyMessageChange(list, message.conversationId, (m) => (m.id === message.id ? message : m)));
  }

  deletedMessage(conversationId: string, messageId: string, removedByAdmin = false): void {
    const at = new Date().toISOString();
    this.updateThreads((data) => markMessageDeleted(data, messageId, at, removedByAdmin));
    this.qc.setQueryData<MessageDto>(queryKeys.threadRoot(messageId), (root) =>
      root ? { ...root, content: '', attachment: null, location: null, reactions: [], deletedAt: at, removedByAdmin } : root,
    );
    this.updateHistory(conversationId, (data) => markMessageDeleted(data, messageId, at, removedByAdmin));
    this.updateList((list) =>
      applyMessageChange(list, conversationId, (m) =>
        m.id === messageId ? { ...m, content: '', attachment: null, location: null, deletedAt: at, removedByAdmin } : m,
      ),
    );
  }

  /** A member's read or delivered cursor moved forward. */
  receipt(move: ReceiptMove): void {
    // My unread counts after reading up to a seq: others' messages after it that I hold, and
    // those of them that mention me.
    const countUnreadAfter = (readSeq: number) => {
      const data = this.messages(move.conversationId);
      if (!data) return undefined;
      const unread = flattenPages(data).filter((m) => m.senderId !== this.meId && !m.system && !m.deletedAt && m.seq > readSeq);
      return { messages: unread.length, mentions: unread.filter((m) => mentionsMe(m, this.meId)).length };
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
