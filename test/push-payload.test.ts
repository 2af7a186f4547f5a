// What a push says (lib/push/payload.ts), what a subscription must look like, and the in-memory push queue.
import { describe, expect, it } from 'vitest';
import { buildPushPayload, previewOf, PREVIEW_CHARS } from '@/lib/push/payload';
import { MemoryJobQueue } from '@/lib/push/queue';
import { pushSubscriptionInput } from '@/lib/protocol';

describe('previewOf', () => {
  it('keeps a short message as one line', () => {
    expect(previewOf({ content: '  Lunch\n\tat   one? ', messageType: 'text' })).toBe('Lunch at one?');
  });

  it('cuts a long one to at most 120 characters, counting emoji as one', () => {
    const preview = previewOf({ content: '🎉'.repeat(300), messageType: 'text' });
    expect([...preview]).toHaveLength(PREVIEW_CHARS);
    expect(preview.endsWith('…')).toBe(true);
    expect(preview.slice(0, -1)).toBe('🎉'.repeat(PREVIEW_CHARS - 1));
  });

  it('says what an attachment without text is', () => {
    expect(previewOf({ content: '', messageType: 'voice' })).toBe('Sent a voice message');
    expect(previewOf({ content: 'the plan', messageType: 'file' })).toBe('the plan');
  });
});

describe('buildPushPayload', () => {
  const source = {
    message: { id: 'm1', seq: 7, content: 'secret plans', messageType: 'text' as const, createdAt: new Date('2026-01-02T03:04:05Z') },
    conversation: { id: 'c1', type: 'private' as const, name: null },
    sender: { id: 'u1', name: 'Ann' },
  };

  it('names a direct message after its sender and links to the message', () => {
    expect(buildPushPayload(source, true)).toEqual({
      kind: 'message',
      conversationId: 'c1',
      conversationType: 'private',
      conversationName: 'Ann',
      messageId: 'm1',
      seq: 7,
      senderId: 'u1',
      senderName: 'Ann',
      preview: 'secret plans',
      threadRootId: null,
      sentAt: '2026-01-02T03:04:05.000Z',
      url: '/c/c1?message=m1',
    });
  });

  it('leaves the content out for someone who hides it', () => {
    const payload = buildPushPayload({ ...source, conversation: { id: 'c1', type: 'group', name: 'Ops' } }, false);
    expect(payload.preview).toBeNull();
    expect(payload.conversationName).toBe('Ops');
    expect(JSON.stringify(payload)).not.toContain('secret');
  });
});

describe('pushSubscriptionInput', () => {
  const keys = { p256dh: `B${'A'.repeat(86)}`, auth: 'A'.repeat(22) };

  it('takes a browser subscription, padded or not', () => {
    expect(pushSubscriptionInput.safeParse({ endpoint: 'https://push.example/x', keys }).success).toBe(true);
    expect(pushSubscriptionInput.safeParse({ endpoint: 'https://push.example/x', keys: { p256dh: `${keys.p256dh}=`, auth: `${keys.auth}==` } }).success).toBe(true);
  });

  it('refuses other schemes and keys of the wrong length', () => {
    expect(pushSubscriptionInput.safeParse({ endpoint: 'http://push.example/x', keys }).success).toBe(false);
    expect(pushSubscriptionInput.safeParse({ endpoint: 'javascript:alert(1)', keys }).success).toBe(false);
    expect(pushSubscriptionInput.safeParse({ endpoint: 'https://push.example/x', keys: { ...keys, auth: 'A'.repeat(21) } }).success).toBe(false);
    expect(pushSubscriptionInput.safeParse({ endpoint: 'https://push.example/x', keys: { ...keys, p256dh: 'A+'.repeat(44).slice(0, 87) } }).success).toBe(false);
  });
});

describe('MemoryJobQueue', () => {
  it('hands each job to one taker, in order, and a retried job again later', async () => {
    const queue = new MemoryJobQueue();
    await queue.push('a');
    await queue.push('b');
    const first = await queue.take();
    const second = await queue.take();
    expect([first?.job, second?.job]).toEqual(['a', 'b']);
    const waiting = queue.take();
    await first!.retryIn(1, 'a again');
    expect((await waiting)?.job).toBe('a again');
    const last = queue.take();
    queue.stopTaking();
    expect(await last).toBeNull();
    await queue.close();
  });
});
