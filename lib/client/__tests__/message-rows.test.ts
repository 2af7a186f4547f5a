import { describe, expect, it } from 'vitest';
import { buildMessageRows } from '../message-rows';
import { firstUnreadId } from '../unread';
import type { OutgoingMessage } from '../stores/outbox';
import { alice, bob, message } from './fixtures';

const outgoing = (clientId: string, createdAt: string): OutgoingMessage => ({
  clientId,
  conversationId: 'c-1',
  content: 'pending text',
  messageType: 'text',
  replyTo: null,
  attachment: null,
  fileName: null,
  createdAt,
  status: 'pending',
});

describe('message rows', () => {
  it('puts a day separator before each day and groups runs of one sender', () => {
    const nextDay = message(3, bob, { createdAt: '2025-01-02T10:00:00.000Z' });
    const rows = buildMessageRows([message(1, bob), message(2, bob), nextDay], [], alice);
    expect(rows.map((r) => (r.kind === 'day' ? 'day' : `${r.message.id}${r.continuesGroup ? '+' : ''}${r.groupContinues ? '>' : ''}`))).toEqual([
      'day',
      'm-0001>',
      'm-0002+',
      'day',
      'm-0003',
    ]);
  });

  it('shows pending messages after the server ones, until the server has them (matched by clientId)', () => {
    const pending = outgoing('c-1a', '2025-01-01T10:05:00.000Z');
    const before = buildMessageRows([message(1, bob)], [pending], alice);
    expect(before.filter((r) => r.kind === 'message').map((r) => (r.kind === 'message' ? (r.outgoing?.clientId ?? null) : 'day'))).toEqual([null, 'c-1a']);
    const acked = buildMessageRows([message(1, bob), message(2, alice, { clientId: 'c-1a' })], [pending], alice);
    const keys = acked.filter((r) => r.kind === 'message').map((r) => r.key);
    // One row, keyed the same as the pending one was, so it turns into the sent one in place.
    expect(keys).toEqual(['m-0001', `${alice.id}:c-1a`]);
    expect(before.find((r) => r.kind === 'message' && r.outgoing)?.key).toBe(`${alice.id}:c-1a`);
  });
});

describe('first unread message', () => {
  const history = [message(1, bob), message(2, alice), message(3, bob), message(4, bob)];

  it('is the first message from someone else after my read cursor', () => {
    expect(firstUnreadId(history, 'm-0002', alice.id, false)).toBe('m-0003');
    expect(firstUnreadId(history, 'm-0004', alice.id, false)).toBeNull();
  });

  it('is the first from others when I never read, but only if all history is loaded', () => {
    expect(firstUnreadId(history, null, alice.id, true)).toBe('m-0001');
    expect(firstUnreadId(history, null, alice.id, false)).toBeNull();
  });

  it('is unknown when my cursor is older than what is loaded', () => {
    expect(firstUnreadId(history.slice(2), 'm-0001', alice.id, false)).toBeNull();
    expect(firstUnreadId(history.slice(2), 'm-0001', alice.id, true)).toBe('m-0003');
  });
});
