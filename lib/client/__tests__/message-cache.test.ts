import { describe, expect, it } from 'vitest';
import { applyEdit, flattenPages, markMessageDeleted, mergeNewestPage, newestSeq, upsertMessage, upsertMessages, type MessagePages } from '../message-cache';
import { alice, bob, message, mid } from './fixtures';

const pages = (...pagesNewestFirst: number[][]): MessagePages => ({
  pages: pagesNewestFirst.map((ns) => ({ messages: ns.map((n) => message(n, n % 2 ? alice : bob)), nextCursor: null, hasMore: false })),
  pageParams: pagesNewestFirst.map(() => null),
});

const seqs = (data: MessagePages | undefined) => flattenPages(data).map((m) => m.seq);

describe('message cache', () => {
  it('flattens newest-first pages into one oldest-first list', () => {
    expect(seqs(pages([3, 4], [1, 2]))).toEqual([1, 2, 3, 4]);
    expect(newestSeq(pages([3, 4], [1, 2]))).toBe(4);
    // An empty history ends at 0 (catch-up asks for everything); an unloaded one has no end.
    expect(newestSeq(pages([]))).toBe(0);
    expect(newestSeq(undefined)).toBeNull();
  });

  it('appends a new message, and replaces rather than duplicates a known id', () => {
    const data = upsertMessage(pages([1, 2]), message(3, alice));
    expect(seqs(data)).toEqual([1, 2, 3]);
    const again = upsertMessage(data, { ...message(3, alice), content: 'changed' });
    expect(seqs(again)).toEqual([1, 2, 3]);
    expect(flattenPages(again)[2]!.content).toBe('changed');
  });

  it("dedupes by the sender's clientId (an optimistic echo and the ack)", () => {
    const first = upsertMessage(pages([1]), message(2, alice, { clientId: 'c-abc' }));
    const echo = upsertMessage(first, message(2, alice, { clientId: 'c-abc' }));
    expect(seqs(echo)).toEqual([1, 2]);
    // Another sender's clientId is theirs: no collision.
    const other = upsertMessage(echo, message(3, bob, { clientId: 'c-abc' }));
    expect(seqs(other)).toEqual([1, 2, 3]);
  });

  it('keeps seq order when messages arrive out of order, whatever their ids say', () => {
    // The fixture ids sort 6, 5, 4, 3, 2, 1: an order by id would be backwards.
    expect([mid(2), mid(3)].sort()).toEqual([mid(3), mid(2)]);
    expect(seqs(upsertMessages(pages([1, 4]), [message(3, bob), message(2, alice), message(4, bob), message(6, bob), message(5, alice)]))).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
  });

  it('leaves an uncached conversation uncached', () => {
    expect(upsertMessage(undefined, message(1, alice))).toBeUndefined();
  });

  it('blanks a deleted message and the quotes of it', () => {
    const reply = message(2, bob, { replyTo: { id: mid(1), senderId: alice.id, senderName: alice.name, content: 'message 1', messageType: 'text', deletedAt: null } });
    const data = upsertMessage(pages([1]), reply);
    const deleted = flattenPages(markMessageDeleted(data, mid(1), '2025-01-01T11:00:00.000Z'));
    expect(deleted[0]).toMatchObject({ content: '', deletedAt: '2025-01-01T11:00:00.000Z' });
    expect(deleted[1]!.replyTo).toMatchObject({ content: '', deletedAt: '2025-01-01T11:00:00.000Z' });
  });

  it('refreshes quotes of an edited message; an edit of one not held adds nothing', () => {
    const reply = message(2, bob, { replyTo: { id: mid(1), senderId: alice.id, senderName: alice.name, content: 'message 1', messageType: 'text', deletedAt: null } });
    const data = upsertMessage(pages([1]), reply);
    const edited = flattenPages(applyEdit(data, { ...message(1, alice), content: 'fixed typo', editedAt: '2025-01-01T11:00:00.000Z' }));
    expect(edited[0]!.content).toBe('fixed typo');
    expect(edited[1]!.replyTo!.content).toBe('fixed typo');
    // An old message, not loaded, edited: it would sit among the newest if added.
    expect(seqs(applyEdit(pages([40, 41]), { ...message(3, alice), editedAt: '2025-01-01T11:00:00.000Z' }))).toEqual([40, 41]);
  });

  it('merges a refetched newest page without dropping live arrivals or undoing deletions', () => {
    const fresh = { messages: [message(1, alice), message(2, bob)], nextCursor: mid(1), hasMore: true };
    const cached = {
      messages: [message(1, alice, { deletedAt: '2025-01-01T11:00:00.000Z', content: '' }), message(2, bob), message(3, bob), message(4, alice, { clientId: 'x' })],
      nextCursor: null,
      hasMore: false,
    };
    const merged = mergeNewestPage(fresh, cached);
    expect(merged.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(merged.messages[0]!.deletedAt).not.toBeNull();
    expect(merged).toMatchObject({ nextCursor: mid(1), hasMore: true });
    expect(mergeNewestPage(fresh, undefined)).toBe(fresh);
  });
});
