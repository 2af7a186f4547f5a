import { describe, expect, it } from 'vitest';
import { receiptOf } from '../receipts';
import { alice, bob, carol, conversation, deliveredUpTo, message, participant, readUpTo } from './fixtures';

describe('receipts of my message', () => {
  const mine = message(5, alice);

  it('private: sent, delivered, read (cursors compared by seq)', () => {
    const at = (cursors: Parameters<typeof participant>[1]) => conversation({ participants: [participant(alice), participant(bob, cursors)] });
    expect(receiptOf(mine, at({}), alice.id).status).toBe('sent');
    expect(receiptOf(mine, at(deliveredUpTo(4)), alice.id).status).toBe('sent');
    expect(receiptOf(mine, at(deliveredUpTo(5)), alice.id).status).toBe('delivered');
    expect(receiptOf(mine, at(readUpTo(8)), alice.id)).toEqual({ status: 'read', readBy: ['Bob Stone'], audience: 1 });
  });

  it('group: read by some of the others, naming them; read once all have', () => {
    const group = (bobRead: number | null, carolRead: number | null) =>
      conversation({
        type: 'group',
        participants: [
          participant(alice),
          participant(bob, bobRead === null ? {} : readUpTo(bobRead)),
          participant(carol, carolRead === null ? {} : readUpTo(carolRead)),
        ],
      });
    expect(receiptOf(mine, group(5, null), alice.id)).toEqual({ status: 'sent', readBy: ['Bob Stone'], audience: 2 });
    expect(receiptOf(mine, group(5, 4), alice.id)).toEqual({ status: 'sent', readBy: ['Bob Stone'], audience: 2 });
    expect(receiptOf(mine, group(5, 6), alice.id)).toEqual({ status: 'read', readBy: ['Bob Stone', 'Carol King'], audience: 2 });
  });

  it('leaves out members who joined after the message', () => {
    const late = participant(carol, { joinedAt: '2025-02-01T00:00:00.000Z' });
    const group = conversation({ type: 'group', participants: [participant(alice), participant(bob, readUpTo(5)), late] });
    expect(receiptOf(mine, group, alice.id)).toEqual({ status: 'read', readBy: ['Bob Stone'], audience: 1 });
  });
});
