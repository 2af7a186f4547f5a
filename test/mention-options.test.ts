// The composer's picker and the highlight's resolver (lib/client/mentions.ts).
import { describe, expect, it } from 'vitest';
import { insertMention, mentionAtCaret, mentionOptions, mentionResolver, membersByUsername } from '@/lib/client/mentions';
import { alice, bob, carol, conversation, participant } from '@/lib/client/__tests__/fixtures';

const team = conversation({ type: 'group', participants: [participant(alice, { role: 'admin' }), participant(bob), participant(carol)] });

describe('mention picker', () => {
  it('finds the mention being typed before the caret, not an address', () => {
    expect(mentionAtCaret('hi @ca', 6)).toEqual({ start: 3, query: 'ca' });
    expect(mentionAtCaret('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionAtCaret('mail me@ex', 10)).toBeNull();
    expect(mentionAtCaret('hi @ca there', 12)).toBeNull();
  });

  it('offers other members by username or name (prefix first), and @here/@all to admins of groups', () => {
    expect(mentionOptions(team, alice.id, '').map((o) => o.insert)).toEqual(['@bob', '@carol', '@here', '@all']);
    expect(mentionOptions(team, alice.id, 'ki').map((o) => o.insert)).toEqual(['@carol']); // Carol King
    expect(mentionOptions(team, alice.id, 'a').map((o) => o.insert)).toEqual(['@carol', '@all']); // 'a' inside carol; @all by prefix
    expect(mentionOptions(team, bob.id, '').map((o) => o.insert)).toEqual(['@alice', '@carol']);
    const direct = conversation({ type: 'private', participants: [participant(alice, { role: 'admin' }), participant(bob)] });
    expect(mentionOptions(direct, alice.id, '').map((o) => o.insert)).toEqual(['@bob']);
  });

  it('puts the chosen mention in place of what was typed, with a space, caret after it', () => {
    expect(insertMention('hi @ca!', { start: 3, query: 'ca' }, '@carol')).toEqual({ text: 'hi @carol !', caret: 10 });
    expect(insertMention('@b there', { start: 0, query: 'b' }, '@bob')).toEqual({ text: '@bob there', caret: 5 });
  });

  it('highlights only the names the server stored, and @here/@all as stored', () => {
    const members = membersByUsername(team);
    const resolve = mentionResolver({ mentionedUserIds: [carol.id], mentionsEveryone: 'all' }, members, carol.id);
    expect(resolve('carol')).toMatchObject({ kind: 'user', me: true });
    expect(resolve('bob')).toBeNull();
    expect(resolve('all')).toMatchObject({ kind: 'everyone', me: true });
    expect(resolve('here')).toMatchObject({ kind: 'everyone' });
    expect(mentionResolver({ mentionedUserIds: [], mentionsEveryone: 'here' }, members, carol.id)('all')).toBeNull();
  });
});
