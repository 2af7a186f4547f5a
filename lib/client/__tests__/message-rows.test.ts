import { describe, expect, it } from 'vitest';
import { buildMessageRows } from '../message-rows';
import { firstUnreadId } from '../unread';
import type { OutgoingMessage } from '../stores/outbox';
import { alice, bob, message, mid } from './fixtures';

const outgoing = (clientId: string, order: number, createdAt = '2025-01-01T10:05:00.000Z'): OutgoingMessage => ({
  clientId,
  conversationId: 'c-1',
  content: `pending ${clientId}`,
  messageType: 'text',
  replyTo: null,
  attachment: null,
  fileName: null,
  createdAt,
  order,
  status: 'pending',
});

const messageRows = (rows: ReturnType<typeof buildMessageRows>) => rows.flatMap((r) => (r.kind === 'message' ? [r] : []));

describe('message rows', () => {
  it('puts a day separator before each day and groups runs of one sender', () => {
    const nextDay = message(3, bob, { createdAt: '2025-01-02T10:00:00.000Z' });
    const rows = buildMessageRows([message(1, bob), message(2, bob), nextDay], [], alice);
    expect(rows.map((r) => (r.kind === 'day' ? 'day' : `${r.message.seq}${r.continuesGroup ? '+' : ''}${r.groupContinues ? '>' : ''}`))).toEqual([
      'day',
      '1>',
      '2+',
      'day',
      '3',
    ]);
  });

  it('shows pending messages after the server ones, until the server has them (matched by clientId)', () => {
    const pending = outgoing('c-1a', 1);
    const before = buildMessageRows([message(1, bob)], [pending], alice);
    expect(messageRows(before).map((r) => r.outgoing?.clientId ?? null)).toEqual([null, 'c-1a']);
    const acked = buildMessageRows([message(1, bob), message(2, alice, { clientId: 'c-1a' })], [pending], alice);
    // One row, keyed the same as the pending one was, so it turns into the sent one in place.
    expect(messageRows(acked).map((r) => r.key)).toEqual([mid(1), `${alice.id}:c-1a`]);
    expect(messageRows(before).find((r) => r.outgoing)?.key).toBe(`${alice.id}:c-1a`);
  });

  it('draws unsent messages in their queue order, not by the clock that stamped them', () => {
    // Queued second but stamped earlier (the clock moved back): the queue decides, as the server will.
    const first = outgoing('q-1', 1, '2025-01-01T10:05:00.000Z');
    const second = outgoing('q-2', 2, '2025-01-01T10:04:00.000Z');
    const third = outgoing('q-3', 3, '2025-01-01T10:06:00.000Z');
    const rows = messageRows(buildMessageRows([message(1, bob)], [third, first, second], alice));
    expect(rows.map((r) => r.outgoing?.clientId ?? r.message.seq)).toEqual([1, 'q-1', 'q-2', 'q-3']);
  });

  it("does not take someone else's message with the same clientId for mine", () => {
    const rows = messageRows(buildMessageRows([message(1, bob, { clientId: 'same' })], [outgoing('same', 1)], alice));
    expect(rows.map((r) => r.outgoing?.clientId ?? r.message.seq)).toEqual([1, 'same']);
  });
});

describe('first unread message', () => {
  const history = [message(1, bob), message(2, alice), message(3, bob), message(4, bob)];

  it('is the first message from someone else after my read cursor (a seq)', () => {
    expect(firstUnreadId(history, 2, alice.id, false)).toBe(mid(3));
    expect(firstUnreadId(history, 4, alice.id, false)).toBeNull();
  });

  it('is the first from others when I never read, but only if all history is loaded', () => {
    expect(firstUnreadId(history, null, alice.id, true)).toBe(mid(1));
    expect(firstUnreadId(history, null, alice.id, false)).toBeNull();
  });

  it('is unknown when my cursor is older than what is loaded', () => {
    expect(firstUnreadId(history.slice(2), 1, alice.id, false)).toBeNull();
    expect(firstUnreadId(history.slice(2), 1, alice.id, true)).toBe(mid(3));
  });
});
