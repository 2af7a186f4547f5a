import { describe, expect, it, vi } from 'vitest';
import { InfiniteQueryObserver, QueryClient } from '@tanstack/react-query';
import type { MessageDto, MessagePage } from '../../protocol';
import { cacheNewMessage, getMessages } from '../chat-cache';
import { flattenPages } from '../message-cache';
import { queryKeys } from '../query-keys';
import { alice, message } from './fixtures';

/** A server whose history answers are released by hand, to order them against live events. */
function slowHistory() {
  const stored: MessageDto[] = [];
  const pending: (() => void)[] = [];
  let requests = 0;
  return {
    stored,
    get requests() {
      return requests;
    },
    releaseAll: () => pending.splice(0).forEach((release) => release()),
    queryFn: () => {
      requests += 1;
      const answer: MessagePage = { messages: [...stored], nextCursor: null, hasMore: false };
      return new Promise<MessagePage>((resolve) => pending.push(() => resolve(answer)));
    },
  };
}

describe('chat cache', () => {
  it('a message that lands while the first page of its history is on the way is not lost', async () => {
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const server = slowHistory();
    // What useMessages does: an observer on the history, whose first page is now on its way.
    const observer = new InfiniteQueryObserver(qc, {
      queryKey: queryKeys.messages('c-1'),
      queryFn: server.queryFn,
      initialPageParam: null,
      getNextPageParam: () => null,
      staleTime: Infinity,
    });
    const unsubscribe = observer.subscribe(() => {});
    // That request was answered (empty) before the message below was stored.
    await Promise.resolve();
    // Several land before it arrives: one more request covers them all.
    const sent = [message(1, alice), message(2, alice), message(3, alice)];
    for (const m of sent) {
      server.stored.push(m);
      cacheNewMessage(qc, m, alice.id);
    }
    // Answer whatever is asked until the history holds the messages (or the wait times out).
    await vi.waitFor(() => {
      server.releaseAll();
      expect(flattenPages(getMessages(qc, 'c-1')).map((m) => m.id)).toEqual(sent.map((m) => m.id));
    });
    expect(server.requests).toBe(2);
    unsubscribe();
  });

  it('a live message joins a loaded history without asking the server again', async () => {
    const qc = new QueryClient();
    const server = slowHistory();
    const loading = qc.fetchInfiniteQuery({ queryKey: queryKeys.messages('c-1'), queryFn: server.queryFn, initialPageParam: null, getNextPageParam: () => null });
    await Promise.resolve();
    server.releaseAll();
    await loading;
    cacheNewMessage(qc, message(2, alice), alice.id);
    expect(server.requests).toBe(1);
    expect(flattenPages(getMessages(qc, 'c-1')).map((m) => m.id)).toEqual([message(2, alice).id]);
  });
});
