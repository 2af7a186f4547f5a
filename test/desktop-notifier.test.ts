// What the in-page notifier decides and says (lib/client/notifications/desktop-notifier.ts): the
// shared rule applied to the conversation's level, the mute and mentions; the notification's
// words, with and without a preview.
import { describe, expect, it } from 'vitest';
import { messageShouldNotify, notificationText } from '@/lib/client/notifications/desktop-notifier';
import type { ConversationDto, ConversationRef } from '@/lib/protocol';
import { alice, bob, conversation, message } from '@/lib/client/__tests__/fixtures';

const group: ConversationRef = { id: 'c-1', name: 'Launch', type: 'group' };
const direct: ConversationRef = { id: 'c-1', name: null, type: 'private' };
const at = (level: 'all' | 'mentions' | 'none' | null, extra: Partial<ConversationDto> = {}) =>
  ({ ...conversation({ type: 'group', ...extra }), notificationLevel: level }) as ConversationDto;
const all = { defaultLevel: 'all' as const, previews: true };

describe('desktop notifier', () => {
  it('follows the conversation level, then the default: mentions and direct messages at "mentions"', () => {
    const plain = message(2, bob);
    const named = message(3, bob, { mentionedUserIds: [alice.id] });
    const everyone = message(4, bob, { mentionsEveryone: 'here' });
    expect(messageShouldNotify(plain, group, at('all'), alice.id, all)).toBe(true);
    expect(messageShouldNotify(plain, group, at('mentions'), alice.id, all)).toBe(false);
    expect(messageShouldNotify(named, group, at('mentions'), alice.id, all)).toBe(true);
    expect(messageShouldNotify(everyone, group, at('mentions'), alice.id, all)).toBe(true);
    expect(messageShouldNotify(plain, direct, at('mentions', { type: 'private' }), alice.id, all)).toBe(true);
    expect(messageShouldNotify(named, group, at('none'), alice.id, all)).toBe(false);
    expect(messageShouldNotify(plain, group, at(null), alice.id, { defaultLevel: 'mentions', previews: true })).toBe(false);
    expect(messageShouldNotify(named, group, at(null), alice.id, { defaultLevel: 'mentions', previews: true })).toBe(true);
    // A conversation the list does not hold yet: the default level.
    expect(messageShouldNotify(plain, group, undefined, alice.id, all)).toBe(true);
  });

  it('a reply that stays in its thread notifies only when it mentions me (or in a one-to-one chat)', () => {
    const reply = message(5, bob, { threadRootId: 'm-root', alsoInConversation: false });
    expect(messageShouldNotify(reply, group, at('all'), alice.id, all)).toBe(false);
    expect(messageShouldNotify({ ...reply, mentionedUserIds: [alice.id] }, group, at('all'), alice.id, all)).toBe(true);
    expect(messageShouldNotify({ ...reply, alsoInConversation: true }, group, at('all'), alice.id, all)).toBe(true);
    expect(messageShouldNotify(reply, direct, at('all', { type: 'private' }), alice.id, all)).toBe(true);
  });

  it('never for a timeline note (someone joined, a rename)', () => {
    const note = message(6, bob, { system: { event: 'member_joined', actorId: bob.id, userIds: [bob.id], name: null, privacy: null, via: 'browse' } });
    expect(messageShouldNotify(note, group, at('all'), alice.id, all)).toBe(false);
  });

  it('never for a muted conversation or my own message', () => {
    const muted = at('all', { mutedUntil: new Date(Date.now() + 60_000).toISOString() });
    expect(messageShouldNotify(message(2, bob, { mentionedUserIds: [alice.id] }), group, muted, alice.id, all)).toBe(false);
    const expired = at('all', { mutedUntil: new Date(Date.now() - 60_000).toISOString() });
    expect(messageShouldNotify(message(2, bob), group, expired, alice.id, all)).toBe(true);
    expect(messageShouldNotify(message(2, alice), group, at('all'), alice.id, all)).toBe(false);
  });

  it('names the sender and the group, says when I am mentioned, cuts the preview to 120 characters or hides it', () => {
    expect(notificationText(message(2, bob, { content: 'hello' }), group, alice.id, true)).toEqual({ title: `${bob.name} in Launch`, body: 'hello' });
    expect(notificationText(message(2, bob, { content: 'hi', mentionedUserIds: [alice.id] }), group, alice.id, true).title).toBe(`${bob.name} mentioned you in Launch`);
    expect(notificationText(message(2, bob, { content: 'hello' }), direct, alice.id, true)).toEqual({ title: bob.name, body: 'hello' });
    const long = notificationText(message(2, bob, { content: 'x'.repeat(300) }), direct, alice.id, true).body;
    expect(long).toHaveLength(120);
    expect(long.endsWith('…')).toBe(true);
    expect(notificationText(message(2, bob, { content: 'secret' }), direct, alice.id, false).body).toBe('New message');
  });
});
