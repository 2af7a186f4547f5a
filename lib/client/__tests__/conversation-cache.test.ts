import { describe, expect, it } from 'vitest';
import { applyNewMessage, applyReceipt, mergeConversation, upsertConversation } from '../conversation-cache';
import { alice, bob, conversation, message, participant } from './fixtures';

describe('conversation list cache', () => {
  it('moves a conversation with a new message to the top and counts it unread when from someone else', () => {
    const older = conversation({ id: 'c-1', lastActivityAt: '2025-01-01T09:00:00.000Z' });
    const newer = conversation({ id: 'c-2', lastActivityAt: '2025-01-01T09:30:00.000Z' });
    const list = applyNewMessage([newer, older], message(5, bob), alice.id)!;
    expect(list.map((c) => c.id)).toEqual(['c-1', 'c-2']);
    expect(list[0]).toMatchObject({ unreadCount: 1, lastMessage: { id: 'm-0005' } });
    // Mine does not count, and a repeat changes nothing.
    const mine = applyNewMessage(list, message(6, alice), alice.id)!;
    expect(mine[0]!.unreadCount).toBe(1);
    expect(applyNewMessage(mine, message(6, alice), alice.id)![0]!.unreadCount).toBe(1);
    // An older message (caught up late) does not replace the preview.
    expect(applyNewMessage(mine, message(4, bob), alice.id)![0]!.lastMessage!.id).toBe('m-0006');
  });

  it('moves receipt cursors forward only; reading also delivers', () => {
    const list = [conversation({ participants: [participant(alice), participant(bob, { lastReadMessageId: 'm-0005', lastDeliveredMessageId: 'm-0005' })] })];
    const back = applyReceipt(list, { conversationId: 'c-1', userId: bob.id, kind: 'read', messageId: 'm-0003', at: 'x' }, { id: alice.id });
    expect(back).toBe(list);
    const forward = applyReceipt(list, { conversationId: 'c-1', userId: bob.id, kind: 'read', messageId: 'm-0007', at: 'x' }, { id: alice.id })!;
    expect(forward[0]!.participants[1]).toMatchObject({ lastReadMessageId: 'm-0007', lastDeliveredMessageId: 'm-0007' });
  });

  it('clears my unread count when I read up to the last message, else recounts', () => {
    const list = [conversation({ unreadCount: 3, lastMessage: message(9, bob) })];
    const all = applyReceipt(list, { conversationId: 'c-1', userId: alice.id, kind: 'read', messageId: 'm-0009', at: 'x' }, { id: alice.id })!;
    expect(all[0]!.unreadCount).toBe(0);
    const some = applyReceipt(list, { conversationId: 'c-1', userId: alice.id, kind: 'read', messageId: 'm-0007', at: 'x' }, { id: alice.id, countUnreadAfter: () => 2 })!;
    expect(some[0]!.unreadCount).toBe(2);
  });

  it('upserts by id', () => {
    const list = [conversation()];
    expect(upsertConversation(list, conversation({ name: 'renamed' }))).toEqual([conversation({ name: 'renamed' })]);
  });

  it('merges a refetch with newer live state: cursors and last message only move forward', () => {
    const fresh = conversation({ lastMessage: message(5, bob), unreadCount: 1, participants: [participant(alice), participant(bob, { lastReadMessageId: 'm-0003' })] });
    const cached = conversation({
      lastMessage: message(6, bob),
      unreadCount: 2,
      participants: [participant(alice), participant(bob, { lastReadMessageId: 'm-0004', lastDeliveredMessageId: 'm-0004' })],
    });
    const merged = mergeConversation(fresh, cached, alice.id);
    expect(merged.lastMessage!.id).toBe('m-0006');
    expect(merged.unreadCount).toBe(2);
    expect(merged.participants[1]).toMatchObject({ lastReadMessageId: 'm-0004', lastDeliveredMessageId: 'm-0004' });
    // When the server is ahead, its answer stands.
    const behind = conversation({ lastMessage: message(4, bob), unreadCount: 0 });
    expect(mergeConversation(fresh, behind, alice.id)).toEqual(fresh);
  });

  it('keeps my unread count when I read more while the refetch was on its way', () => {
    const fresh = conversation({ lastMessage: message(5, bob), unreadCount: 3 });
    const cached = conversation({ lastMessage: message(5, bob), unreadCount: 0, participants: [participant(alice, { lastReadMessageId: 'm-0005' }), participant(bob)] });
    expect(mergeConversation(fresh, cached, alice.id).unreadCount).toBe(0);
  });
});
