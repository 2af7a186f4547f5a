// How mentions are written (lib/chat/mention-syntax.ts): what counts as one, what does not.
import { describe, expect, it } from 'vitest';
import { parseMentions, splitMentions } from '@/lib/chat/mention-syntax';

describe('mention syntax', () => {
  it('finds @usernames at the start, after spaces and punctuation, in any case, each once', () => {
    expect(parseMentions('@alice hi (@Bob_2), and @alice again: @carol!')).toEqual({ usernames: ['alice', 'bob_2', 'carol'], everyone: null });
  });

  it('leaves e-mail addresses, glued words and too-short names alone', () => {
    expect(parseMentions('mail me@example.com or a.b@team_x, x@yy, @ab, foo@bar')).toEqual({ usernames: [], everyone: null });
    expect(parseMentions(`@${'a'.repeat(33)}`)).toEqual({ usernames: [], everyone: null });
  });

  it('reads @here and @all as everyone, @all outweighing @here', () => {
    expect(parseMentions('@here standup')).toEqual({ usernames: [], everyone: 'here' });
    expect(parseMentions('@here and @all, @dave')).toEqual({ usernames: ['dave'], everyone: 'all' });
    expect(parseMentions('@allison is not everyone')).toEqual({ usernames: ['allison'], everyone: null });
  });

  it('cuts text into plain runs and mentions that put the text back together', () => {
    const text = 'hey @Alice, see\n@here — ok?';
    const segments = splitMentions(text);
    expect(segments).toEqual([
      { kind: 'text', text: 'hey ' },
      { kind: 'mention', text: '@Alice', name: 'alice' },
      { kind: 'text', text: ', see\n' },
      { kind: 'mention', text: '@here', name: 'here' },
      { kind: 'text', text: ' — ok?' },
    ]);
    expect(segments.map((s) => s.text).join('')).toBe(text);
  });
});
