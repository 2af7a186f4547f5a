import { describe, expect, it } from 'vitest';
import { InfiniteQueryObserver, QueryClient, QueryObserver } from '@tanstack/react-query';
import type { ConversationDto, MessageDto, MessagePage } from '../../protocol';
import { ChatCache } from '../chat-cache';
import type { ConversationList } from '../conversation-cache';
import { flattenPages } from '../message-cache';
import { queryKeys } from '../query-keys';
import { alice, bob, conversation, message } from './fixtures';

/** Answers released by hand, to order them against live events. */
function heldAnswers<T>(answer: () => T) {
  const pending: (() => void)[] = [];
  let requests = 0;
  return {
    get requests() {
      return requests;
    },
    release: () => pending.splice(0).forEach((release) => release()),
    fetch: () => {
      requests += 1;
      // The answer is what the server holds when asked, whenever it is delivered.
      const value = answer();
      return new Promise<T>((resolve) => pending.push(() => resolve(value)));
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** What useMessages does: an observer on the history, whose first page the cache completes. */
function watchHistory(qc: QueryClient, cache: ChatCache, fetchPage: () => Promise<MessagePage>) {
  const observer = new InfiniteQueryObserver(qc, {
    queryKey: queryKeys.messages('c-1'),
    queryFn: async () => cache.landedNewestPage('c-1', await fetchPage()),
    initialPageParam: null,
    getNextPageParam: () => null,
    staleTime: Infinity,
  });
  return observer.subscribe(() => {});
}

/** What useConversations does. */
function watchList(qc: QueryClient, cache: ChatCache, fetchList: () => Promise<ConversationList>) {
  const observer = new QueryObserver(qc, { queryKey: queryKeys.conversations, queryFn: async () => cache.landedConversationList(await fetchList()) });
  return observer.subscribe(() => {});
}

describe('chat cache: changes during a first load', () => {
  it('messages that land while the first page is on its way are applied to it as it lands: no second request, no duplicates', async () => {
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const cache = new ChatCache(qc, alice.id);
    const stored: MessageDto[] = [message(1, bob)];
    const server = heldAnswers<MessagePage>(() => ({ messages: [...stored], nextCursor: null, hasMore: false }));
    const stop = watchHistory(qc, cache, server.fetch);
    await settle();
    expect(server.requests).toBe(1);

    // Stored after the answer was made: 2 and 3 arrive live, 3 first (live order is not seq order).
    stored.push(message(2, alice), message(3, bob));
    cache.newMessage(message(3, bob));
    cache.newMessage(message(2, alice));
    // The answer's own message comes live too (joined the room before the answer was made).
    cache.newMessage(message(1, bob));
    expect(cache.messages('c-1')).toBeUndefined();

    server.release();
    await settle();
    expect(flattenPages(cache.messages('c-1')).map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(server.requests).toBe(1);
    stop();
  });

  it('remembers where a first answer ended, before the changes that waited for it', async () => {
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const cache = new ChatCache(qc, alice.id);
    const server = heldAnswers<MessagePage>(() => ({ messages: [message(1, bob), message(2, bob)], nextCursor: null, hasMore: false }));
    const stop = watchHistory(qc, cache, server.fetch);
    await settle();
    const loading = cache.historiesLoading();
    expect([...loading.keys()]).toEqual(['c-1']);
    expect(cache.heldHistoryEnds().size).toBe(0);

    cache.newMessage(message(9, bob)); // live, after a gap (3 to 8 are what catch-up must fetch)
    server.release();
    expect(await loading.get('c-1')).toBe(2);
    expect(cache.heldHistoryEnds()).toEqual(new Map([['c-1', 9]]));
    stop();
  });

  it("the conversation list's first answer gets the unread count of a message that came after it, once", async () => {
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const cache = new ChatCache(qc, alice.id);
    let onServer: ConversationDto = conversation({ lastMessage: message(1, bob), unreadCount: 1 });
    const server = heldAnswers<ConversationList>(() => [onServer]);
    const stop = watchList(qc, cache, server.fetch);
    await settle();

    // Message 2 is stored after the answer was made; message 1 was already in it.
    onServer = { ...onServer, lastMessage: message(2, bob), unreadCount: 2 };
    cache.newMessage(message(1, bob));
    cache.newMessage(message(2, bob));
    server.release();
    await settle();
    expect(cache.conversations()?.[0]).toMatchObject({ unreadCount: 2, lastMessage: { seq: 2 } });
    expect(server.requests).toBe(1);
    stop();
  });

  it('a live message joins a loaded history without asking the server again', async () => {
    const qc = new QueryClient();
    const cache = new ChatCache(qc, alice.id);
    const server = heldAnswers<MessagePage>(() => ({ messages: [message(1, bob)], nextCursor: null, hasMore: false }));
    const stop = watchHistory(qc, cache, server.fetch);
    await settle();
    server.release();
    await settle();
    cache.newMessage(message(2, alice));
    expect(server.requests).toBe(1);
    expect(flattenPages(cache.messages('c-1')).map((m) => m.seq)).toEqual([1, 2]);
    stop();
  });

  it('leaves a history nobody loads alone (whoever loads it later asks after the change)', () => {
    const qc = new QueryClient();
    const cache = new ChatCache(qc, alice.id);
    cache.newMessage(message(1, bob));
    expect(cache.messages('c-1')).toBeUndefined();
    expect(qc.getQueryCache().findAll()).toHaveLength(0);
  });
});

describe('chat cache: a removed member deleting the read-only view', () => {
  it('keeps it out of lists that were on their way before, but not a rejoined membership', () => {
    const qc = new QueryClient();
    const cache = new ChatCache(qc, bob.id);
    const left = conversation({ id: 'c-left', type: 'group', name: 'Old team', left: { at: '2025-01-01T10:00:00.000Z', seq: 3, removedBy: alice } });
    qc.setQueryData<ConversationList>(queryKeys.conversations, [left, conversation()]);

    cache.forgetConversation('c-left');
    expect(cache.conversations()!.map((c) => c.id)).toEqual(['c-1']);
    // A catch-up answered before the deletion reached the server still lists the view.
    cache.conversationList([left, conversation()]);
    cache.conversation(left);
    expect(cache.conversations()!.map((c) => c.id)).toEqual(['c-1']);
    expect(cache.landedConversationList([left]).map((c) => c.id)).toEqual([]);
    // Added back later: a member's conversation again.
    cache.conversation({ ...left, left: null });
    expect(cache.conversations()!.map((c) => c.id).sort()).toEqual(['c-1', 'c-left']);
  });
});

describe('receipts against the members at the time', () => {
  it('still counts members who left after the message', async () => {
    const { receiptOf } = await import('../receipts');
    const sent = message(2, alice);
    const view = conversation({
      type: 'group',
      participants: [conversation().participants[0]!],
      formerMembers: [
        { user: bob, joinedAt: '2024-12-31T00:00:00.000Z', leftAt: '2025-01-02T00:00:00.000Z', leftSeq: 3, removedById: null, lastReadSeq: 2, lastDeliveredSeq: 2 },
      ],
    });
    expect(receiptOf(sent, view, alice.id)).toMatchObject({ status: 'read', readBy: [bob.name], audience: 1 });
    // Someone who left before the message is not of its audience.
    expect(receiptOf(message(4, alice), view, alice.id)).toMatchObject({ status: 'sent', audience: 0 });
  });
});

describe('chat cache: threads and reactions', () => {
  function loaded() {
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const cache = new ChatCache(qc, alice.id);
    const root = message(1, alice);
    qc.setQueryData(queryKeys.messages('c-1'), { pages: [{ messages: [root], nextCursor: null, hasMore: false }], pageParams: [null] });
    qc.setQueryData(queryKeys.conversations, [conversation({ lastMessage: root, unreadCount: 0 })]);
    qc.setQueryData(queryKeys.thread(root.id), { pages: [{ messages: [], nextCursor: null, hasMore: false }], pageParams: [null] });
    return { qc, cache, root };
  }

  it('a thread-only reply goes to its thread, never the timeline, the list’s last message or its unread count', () => {
    const { qc, cache, root } = loaded();
    const reply = message(2, bob, { threadRootId: root.id });
    cache.newMessage(reply);
    cache.caughtUp('c-1', [reply, message(3, bob, { threadRootId: root.id, alsoInConversation: true })]);

    expect(flattenPages(cache.messages('c-1')).map((m) => m.seq)).toEqual([1, 3]);
    expect(flattenPages(qc.getQueryData(queryKeys.thread(root.id))).map((m) => m.seq)).toEqual([2, 3]);
    const [listed] = cache.conversations()!;
    expect(listed!.lastMessage!.seq).toBe(3);
    expect(listed!.unreadCount).toBe(1);
  });

  it('reactions apply wherever the message is held, as a set; a thread summary never goes back', () => {
    const { qc, cache, root } = loaded();
    qc.setQueryData(queryKeys.threadRoot(root.id), root);
    cache.reactionChanged('c-1', { messageId: root.id, emoji: '👍', userId: bob.id, added: true });
    cache.reactionChanged('c-1', { messageId: root.id, emoji: '👍', userId: bob.id, added: true });
    expect(flattenPages(cache.messages('c-1'))[0]!.reactions).toEqual([{ emoji: '👍', userIds: [bob.id] }]);
    expect(qc.getQueryData<MessageDto>(queryKeys.threadRoot(root.id))!.reactions).toEqual([{ emoji: '👍', userIds: [bob.id] }]);

    const newer = { replyCount: 2, lastReplyAt: '2025-01-01T10:00:05.000Z', lastReplySeq: 5, repliers: [bob] };
    cache.threadUpdated('c-1', root.id, newer);
    cache.threadUpdated('c-1', root.id, { ...newer, replyCount: 1, lastReplySeq: 4 });
    expect(flattenPages(cache.messages('c-1'))[0]!.thread).toEqual(newer);
  });
});
