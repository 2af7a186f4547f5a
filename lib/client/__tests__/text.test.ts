import { describe, expect, it } from 'vitest';
import { conversationTitle, typingSentence } from '../format';
import { linkify } from '../linkify';
import { alice, bob, carol, conversation, participant } from './fixtures';

describe('linkify', () => {
  it('links http(s) and www addresses, leaving trailing punctuation out', () => {
    expect(linkify('see https://example.com/a?b=1, or www.example.org.')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { kind: 'text', text: ', or ' },
      { kind: 'link', text: 'www.example.org', href: 'https://www.example.org/' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('keeps a closing bracket that belongs to the address', () => {
    expect(linkify('https://en.wikipedia.org/wiki/Foo_(bar)')[0]).toMatchObject({ kind: 'link', text: 'https://en.wikipedia.org/wiki/Foo_(bar)' });
  });

  it('never links other schemes, and leaves markup as plain text', () => {
    expect(linkify('javascript:alert(1) <img src=x onerror=alert(1)>')).toEqual([{ kind: 'text', text: 'javascript:alert(1) <img src=x onerror=alert(1)>' }]);
    expect(linkify('ftp://example.com/file data:text/html,<b>x</b>')).toEqual([{ kind: 'text', text: 'ftp://example.com/file data:text/html,<b>x</b>' }]);
  });

  it('links bare domains (over https) and e-mail addresses, not file names', () => {
    expect(linkify('docs at example.com/guide, or mail ops@example.org; see notes.txt')).toEqual([
      { kind: 'text', text: 'docs at ' },
      { kind: 'link', text: 'example.com/guide', href: 'https://example.com/guide' },
      { kind: 'text', text: ', or mail ' },
      { kind: 'link', text: 'ops@example.org', href: 'mailto:ops@example.org' },
      { kind: 'text', text: '; see notes.txt' },
    ]);
  });
  // Speed is measured in bench/linkify.ts; this only guards against the old catastrophic case
  // (a link then a long run of punctuation: quadratic, 21 s for 100k characters, over 3 min for
  // these 300k), with a limit a hundred times what a linear pass takes on a busy machine.
  it('finishes a pathological 300 000-character line', { timeout: 5000 }, () => {
    const line = `http://x${'.'.repeat(300_000)}x y`;
    expect(linkify(line).map((part) => part.text).join('')).toBe(line);
  });
});

describe('typing sentence', () => {
  it('names one or two typists, and stops naming at three', () => {
    expect(typingSentence([])).toBeNull();
    expect(typingSentence(['Alice'])).toBe('Alice is typing…');
    expect(typingSentence(['Alice', 'Bob'])).toBe('Alice and Bob are typing…');
    expect(typingSentence(['Alice', 'Bob', 'Carol'])).toBe('Several people are typing…');
  });
});

describe('conversation title', () => {
  it('is the other person in a private chat, the name of a group, or its members', () => {
    expect(conversationTitle(conversation(), alice.id)).toBe('Bob Stone');
    expect(conversationTitle(conversation(), bob.id)).toBe('Alice Liddell');
    const group = conversation({ type: 'group', participants: [participant(alice), participant(bob), participant(carol)] });
    expect(conversationTitle({ ...group, name: 'Ops' }, alice.id)).toBe('Ops');
    expect(conversationTitle(group, alice.id)).toBe('Bob, Carol');
  });
});
