import { describe, expect, it } from 'vitest';
import { receiptOf } from '../receipts';
import { alice, bob, carol, conversation, message, participant } from './fixtures';

describe('receipts of my message', () => {
  const mine = message(5, alice);

  it('private: sent, delivered, read', () => {
    const at = (cursors: Parameters<typeof participant>[1]) => conversation({ participants: [participant(alice), participant(bob, cursors)] });
    expect(receiptOf(mine, at({}), alice.id).status).toBe('sent');
    expect(receiptOf(mine, at({ lastDeliveredMessageId: 'm-0004' }), alice.id).status).toBe('sent');
    expect(receiptOf(mine, at({ lastDeliveredMessageId: 'm-0005' }), alice.id).status).toBe('delivered');
    expect(receiptOf(mine, at({ lastReadMessageId: 'm-0008' }), alice.id)).toEqual({ status: 'read', readBy: ['Bob Stone'], audience: 1 });
  });

  it('group: read by some of the others, naming them; read once all have', () => {
    const group = (bobRead: string | null, carolRead: string | null) =>
      conversation({
        type: 'group',
        participants: [participant(alice), participant(bob, { lastReadMessageId: bobRead }), participant(carol, { lastReadMessageId: carolRead })],
      });
    expect(receiptOf(mine, group('m-0005', null), alice.id)).toEqual({ status: 'sent', readBy: ['Bob Stone'], audience: 2 });
    expect(receiptOf(mine, group('m-0005', 'm-0006'), alice.id)).toEqual({ status: 'read', readBy: ['Bob Stone', 'Carol King'], audience: 2 });
  });

  it('leaves out members who joined after the message', () => {
    const late = participant(carol, { joinedAt: '2025-02-01T00:00:00.000Z' });
    const group = conversation({ type: 'group', participants: [participant(alice), participant(bob, { lastReadMessageId: 'm-0005' }), late] });
    expect(receiptOf(mine, group, alice.id)).toEqual({ status: 'read', readBy: ['Bob Stone'], audience: 1 });
  });
});
