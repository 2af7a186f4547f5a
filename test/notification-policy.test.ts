import { describe, expect, it } from 'vitest';
import { isMentioned, shouldNotify, type NotificationCandidate } from '@/lib/chat/notification-policy';

const base: NotificationCandidate = {
  conversationLevel: null,
  defaultLevel: 'all',
  muted: false,
  isDirect: false,
  mentioned: false,
  isSender: false,
};

describe('shouldNotify', () => {
  it('notifies at "all" and never the sender', () => {
    expect(shouldNotify(base)).toBe(true);
    expect(shouldNotify({ ...base, isSender: true })).toBe(false);
  });

  it('never notifies when muted or at "none", even for a mention', () => {
    expect(shouldNotify({ ...base, muted: true, mentioned: true })).toBe(false);
    expect(shouldNotify({ ...base, conversationLevel: 'none', mentioned: true })).toBe(false);
    expect(shouldNotify({ ...base, defaultLevel: 'none', isDirect: true })).toBe(false);
  });

  it('notifies mentions and direct messages at "mentions"', () => {
    const mentions = { ...base, conversationLevel: 'mentions' as const };
    expect(shouldNotify(mentions)).toBe(false);
    expect(shouldNotify({ ...mentions, mentioned: true })).toBe(true);
    expect(shouldNotify({ ...mentions, isDirect: true })).toBe(true);
  });

  it('lets the conversation level override the default', () => {
    expect(shouldNotify({ ...base, defaultLevel: 'none', conversationLevel: 'all' })).toBe(true);
    expect(shouldNotify({ ...base, defaultLevel: 'all', conversationLevel: 'mentions' })).toBe(false);
  });
});

describe('isMentioned', () => {
  const message = { mentionedUserIds: ['a'], mentionsEveryone: null };
  it('reaches named members, everyone on @all, and only online members on @here', () => {
    expect(isMentioned(message, 'a', false)).toBe(true);
    expect(isMentioned(message, 'b', true)).toBe(false);
    expect(isMentioned({ ...message, mentionsEveryone: 'all' }, 'b', false)).toBe(true);
    expect(isMentioned({ ...message, mentionsEveryone: 'here' }, 'b', false)).toBe(false);
    expect(isMentioned({ ...message, mentionsEveryone: 'here' }, 'b', true)).toBe(true);
  });
});
