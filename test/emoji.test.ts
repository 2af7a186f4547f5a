import { describe, expect, it } from 'vitest';
import { isSingleEmoji } from '@/lib/emoji';
import { applyReaction } from '@/lib/client/reactions';

describe('isSingleEmoji', () => {
  it.each(['👍', '👍🏽', '🇫🇷', '👨‍👩‍👧‍👦', '1️⃣', '❤️', '🏳️‍🌈', '🏴󠁧󠁢󠁳󠁣󠁴󠁿'])('takes %s', (emoji) => {
    expect(isSingleEmoji(emoji)).toBe(true);
  });

  it.each([['empty', ''], ['two emoji', '👍👍'], ['text', 'ok'], ['a letter', 'a'], ['a digit', '1'], ['emoji and text', '👍x'], ['NUL', '\u0000'], ['a space', ' 👍'], ['too long', '👍'.repeat(20)], ['markup', '<b>']])(
    'refuses %s',
    (_label, value) => {
      expect(isSingleEmoji(value)).toBe(false);
    },
  );
});

describe('applyReaction', () => {
  it('adds and removes as a set: repeats change nothing, an emptied emoji goes', () => {
    const one = applyReaction([], { emoji: '👍', userId: 'a', added: true });
    expect(one).toEqual([{ emoji: '👍', userIds: ['a'] }]);
    expect(applyReaction(one, { emoji: '👍', userId: 'a', added: true })).toBe(one);
    const two = applyReaction(one, { emoji: '👍', userId: 'b', added: true });
    expect(two).toEqual([{ emoji: '👍', userIds: ['a', 'b'] }]);
    expect(applyReaction(two, { emoji: '🎉', userId: 'c', added: false })).toBe(two);
    expect(applyReaction(applyReaction(two, { emoji: '👍', userId: 'a', added: false }), { emoji: '👍', userId: 'b', added: false })).toEqual([]);
  });
});
