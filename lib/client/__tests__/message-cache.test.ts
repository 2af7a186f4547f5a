import { describe, expect, it } from 'vitest';
import { applyEdit, flattenPages, markMessageDeleted, mergeNewestPage, newestMessageId, upsertMessage, upsertMessages, type MessagePages } from '../message-cache';
import { alice, bob, message } from './fixtures';

const pages = (...pagesNewestFirst: number[][]): MessagePages => ({
  pages: pagesNewestFirst.map((ns) => ({ messages: ns.map((n) => message(n, n % 2 ? alice : bob)), nextCursor: null, hasMore: false })),
  pageParams: pagesNewestFirst.map(() => null),
});

const ids = (data: MessagePages | undefined) => flattenPages(data).map((m) => m.id);

describe('message cache', () => {
  it('flattens newest-first pages into one oldest-first list', () => {
    expect(ids(pages([3, 4], [1, 2]))).toEqual(['m-0001', 'm-0002', 'm-0003', 'm-0004']);
    expect(newestMessageId(pages([3, 4], [1, 2]))).toBe('m-0004');
  });

  it('appends a new message, and replaces rather than duplicates a known id', () => {
    const data = upsertMessage(pages([1, 2]), message(3, alice));
    expect(ids(data)).toEqual(['m-0001', 'm-0002', 'm-0003']);
    const again = upsertMessage(data, { ...message(3, alice), content: 'changed' });
    expect(ids(again)).toEqual(['m-0001', 'm-0002', 'm-0003']);
    expect(flattenPages(again)[2]!.content).toBe('changed');
  });

  it("dedupes by the sender's clientId (an optimistic echo and the ack)", () => {
    const first = upsertMessage(pages([1]), message(2, alice, { clientId: 'c-abc' }));
    const echo = upsertMessage(first, message(2, alice, { clientId: 'c-abc' }));
    expect(ids(echo)).toEqual(['m-0001', 'm-0002']);
    // Another sender's clientId is theirs: no collision.
    const other = upsertMessage(echo, message(3, bob, { clientId: 'c-abc' }));
    expect(ids(other)).toEqual(['m-0001', 'm-0002', 'm-0003']);
  });

  it('keeps id order when caught-up messages arrive out of order', () => {
    expect(ids(upsertMessages(pages([1, 4]), [message(3, bob), message(2, alice), message(4, bob)]))).toEqual(['m-0001', 'm-0002', 'm-0003', 'm-0004']);
  });

  it('leaves an uncached conversation uncached', () => {
    expect(upsertMessage(undefined, message(1, alice))).toBeUndefined();
  });

  it('blanks a deleted message and the quotes of it', () => {
    const reply = message(2, bob, { replyTo: { id: 'm-0001', senderId: alice.id, senderName: alice.name, content: 'message 1', messageType: 'text', deletedAt: null } });
    const data = upsertMessage(pages([1]), reply);
    const deleted = flattenPages(markMessageDeleted(data, 'm-0001', '2025-01-01T11:00:00.000Z'));
    expect(deleted[0]).toMatchObject({ content: '', deletedAt: '2025-01-01T11:00:00.000Z' });
    expect(deleted[1]!.replyTo).toMatchObject({ content: '', deletedAt: '2025-01-01T11:00:00.000Z' });
  });

  it('refreshes quotes of an edited message', () => {
    const reply = message(2, bob, { replyTo: { id: 'm-0001', senderId: alice.id, senderName: alice.name, content: 'message 1', messageType: 'text', deletedAt: null } });
    const data = upsertMessage(pages([1]), reply);
    const edited = flattenPages(applyEdit(data, { ...message(1, alice), content: 'fixed typo', editedAt: '2025-01-01T11:00:00.000Z' }));
    expect(edited[0]!.content).toBe('fixed typo');
    expect(edited[1]!.replyTo!.content).toBe('fixed typo');
  });

  it('merges a refetched newest page without dropping live arrivals or undoing deletions', () => {
    const fresh = { messages: [message(1, alice), message(2, bob)], nextCursor: 'm-0001', hasMore: true };
    const cached = {
      messages: [message(1, alice, { deletedAt: '2025-01-01T11:00:00.000Z', content: '' }), message(2, bob), message(3, bob), message(4, alice, { clientId: 'x' })],
      nextCursor: null,
      hasMore: false,
    };
    const merged = mergeNewestPage(fresh, cached);
    expect(merged.messages.map((m) => m.id)).toEqual(['m-0001', 'm-0002', 'm-0003', 'm-0004']);
    expect(merged.messages[0]!.deletedAt).not.toBeNull();
    expect(merged).toMatchObject({ nextCursor: 'm-0001', hasMore: true });
    expect(mergeNewestPage(fresh, undefined)).toBe(fresh);
  });
});
