import { describe, expect, it } from 'vitest';
import { applyNewMessage, applyReceipt, mergeConversation, upsertConversation } from '../conversation-cache';
import { alice, bob, carol, conversation, message, mid, participant, readUpTo, receiptAt, deliveredUpTo } from './fixtures';

describe('conversation list cache', () => {
  it('moves a conversation with a new message to the top and counts it unread when from someone else', () => {
    const older = conversation({ id: 'c-1', lastActivityAt: '2025-01-01T09:00:00.000Z' });
    const newer = conversation({ id: 'c-2', lastActivityAt: '2025-01-01T09:30:00.000Z' });
    const list = applyNewMessage([newer, older], message(5, bob), alice.id)!;
    expect(list.map((c) => c.id)).toEqual(['c-1', 'c-2']);
    expect(list[0]).toMatchObject({ unreadCount: 1, lastMessage: { id: mid(5) } });
    // Mine does not count, and a repeat changes nothing.
    const mine = applyNewMessage(list, message(6, alice), alice.id)!;
    expect(mine[0]!.unreadCount).toBe(1);
    expect(applyNewMessage(mine, message(6, alice), alice.id)![0]!.unreadCount).toBe(1);
    // An older message (caught up late) does not replace the preview, whatever its id.
    expect(applyNewMessage(mine, message(4, bob), alice.id)![0]!.lastMessage!.id).toBe(mid(6));
  });

  it('counts a message unread only after my read cursor (by seq)', () => {
    const list = [conversation({ participants: [participant(alice, readUpTo(7)), participant(bob)], lastMessage: message(3, bob) })];
    // Seq 6 is before my cursor at 7: already read (as on another device), even though its id sorts after.
    expect(applyNewMessage(list, message(6, bob), alice.id)![0]!.unreadCount).toBe(0);
    expect(applyNewMessage(list, message(8, bob), alice.id)![0]!.unreadCount).toBe(1);
  });

  it('moves receipt cursors forward only, by seq; reading also delivers', () => {
    const list = [conversation({ participants: [participant(alice), participant(bob, readUpTo(5))] })];
    const back = applyReceipt(list, receiptAt(bob, 'read', 3), { id: alice.id });
    expect(back).toBe(list);
    const forward = applyReceipt(list, receiptAt(bob, 'read', 7), { id: alice.id })!;
    expect(forward[0]!.participants[1]).toMatchObject({ lastReadMessageId: mid(7), lastReadSeq: 7, lastDeliveredMessageId: mid(7), lastDeliveredSeq: 7 });
    // Delivery alone leaves the read cursor where it was.
    const delivered = applyReceipt(list, receiptAt(bob, 'delivered', 9), { id: alice.id })!;
    expect(delivered[0]!.participants[1]).toMatchObject({ lastReadSeq: 5, lastDeliveredSeq: 9 });
  });

  it('clears my unread count when I read up to the last message, else recounts', () => {
    const list = [conversation({ unreadCount: 3, lastMessage: message(9, bob) })];
    const all = applyReceipt(list, receiptAt(alice, 'read', 9), { id: alice.id })!;
    expect(all[0]!.unreadCount).toBe(0);
    const some = applyReceipt(list, receiptAt(alice, 'read', 7), { id: alice.id, countUnreadAfter: (seq) => ({ messages: 9 - seq, mentions: 1 }) })!;
    expect(some[0]!.unreadCount).toBe(2);
    expect(some[0]!.unreadMentionCount).toBe(1);
  });

  it('counts a new message that mentions me (by name, @here or @all) as an unread mention too', () => {
    const list = [conversation({ type: 'group', participants: [participant(alice, readUpTo(1)), participant(bob)], lastMessage: message(1, bob) })];
    const named = applyNewMessage(list, message(2, bob, { mentionedUserIds: [alice.id] }), alice.id)!;
    expect(named[0]).toMatchObject({ unreadCount: 1, unreadMentionCount: 1 });
    const plain = applyNewMessage(named, message(3, bob, { mentionedUserIds: [carol.id] }), alice.id)!;
    expect(plain[0]).toMatchObject({ unreadCount: 2, unreadMentionCount: 1 });
    const everyone = applyNewMessage(plain, message(4, bob, { mentionsEveryone: 'here' }), alice.id)!;
    expect(everyone[0]).toMatchObject({ unreadCount: 3, unreadMentionCount: 2 });
    // My own message mentioning me is not news.
    const mine = applyNewMessage(everyone, message(5, alice, { mentionedUserIds: [alice.id] }), alice.id)!;
    expect(mine[0]).toMatchObject({ unreadCount: 3, unreadMentionCount: 2 });
    const read = applyReceipt(mine, receiptAt(alice, 'read', 5), { id: alice.id })!;
    expect(read[0]).toMatchObject({ unreadCount: 0, unreadMentionCount: 0 });
  });

  it('upserts by id', () => {
    const list = [conversation()];
    expect(upsertConversation(list, conversation({ name: 'renamed' }))).toEqual([conversation({ name: 'renamed' })]);
  });

  it('merges a refetch with newer live state: cursors and last message only move forward', () => {
    const fresh = conversation({ lastMessage: message(5, bob), unreadCount: 1, participants: [participant(alice), participant(bob, { lastReadMessageId: mid(3), lastReadSeq: 3 })] });
    const cached = conversation({
      lastMessage: message(6, bob),
      unreadCount: 2,
      participants: [participant(alice), participant(bob, { ...readUpTo(4), ...deliveredUpTo(4) })],
    });
    const merged = mergeConversation(fresh, cached, alice.id);
    expect(merged.lastMessage!.id).toBe(mid(6));
    expect(merged.unreadCount).toBe(2);
    expect(merged.participants[1]).toMatchObject({ lastReadMessageId: mid(4), lastReadSeq: 4, lastDeliveredMessageId: mid(4), lastDeliveredSeq: 4 });
    // When the server is ahead, its answer stands.
    const behind = conversation({ lastMessage: message(4, bob), unreadCount: 0 });
    expect(mergeConversation(fresh, behind, alice.id)).toEqual(fresh);
  });

  it('keeps my unread count when I read more while the refetch was on its way', () => {
    const fresh = conversation({ lastMessage: message(5, bob), unreadCount: 3 });
    const cached = conversation({ lastMessage: message(5, bob), unreadCount: 0, participants: [participant(alice, readUpTo(5)), participant(bob)] });
    expect(mergeConversation(fresh, cached, alice.id).unreadCount).toBe(0);
  });
});
