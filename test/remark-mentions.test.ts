// Mentions inside Markdown messages: rendered through MessageText's plugin hook, a real mention
// is highlighted, a name the server did not store stays text, and an `@` in code or a link is
// left alone.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { MessageText } from '@/components/chat/conversation/MessageText';
import { mentionComponents, mentionPlugins } from '@/components/chat/conversation/MentionText';
import { mentionResolver, membersByUsername } from '@/lib/client/mentions';
import { alice, bob, carol, conversation, participant } from '@/lib/client/__tests__/fixtures';

const members = membersByUsername(conversation({ participants: [participant(alice), participant(bob), participant(carol)] }));

function render(text: string, stored: { mentionedUserIds: string[]; mentionsEveryone: 'here' | 'all' | null }, meId = bob.id) {
  const components = mentionComponents(mentionResolver(stored, members, meId), 'theirs');
  return renderToStaticMarkup(createElement(MessageText, { text, remarkPlugins: mentionPlugins, components }));
}

describe('mentions in Markdown', () => {
  it('highlights stored mentions (mine marked), leaves other names as text, keeps the Markdown', () => {
    const html = render('**hey** @bob and @Carol, not @alice', { mentionedUserIds: [bob.id, carol.id], mentionsEveryone: null });
    expect(html).toContain('<strong>hey</strong>');
    expect(html).toContain('data-mention-me="true"');
    expect(html.match(/data-testid="mention"/g)).toHaveLength(2);
    expect(html).toContain('>@Carol</span>');
    expect(html).toContain('not @alice');
    expect(html).not.toContain('<mark');
  });

  it('leaves an @ in inline code, code blocks and links alone', () => {
    const html = render('`@bob` [@bob](https://example.com)\n\n```\n@bob\n```', { mentionedUserIds: [bob.id], mentionsEveryone: null });
    expect(html).not.toContain('data-testid="mention"');
    expect(html).toMatch(/<code[^>]*>@bob<\/code>/);
  });

  it('highlights @all when the message carries it', () => {
    expect(render('@all ship it', { mentionedUserIds: [], mentionsEveryone: 'all' })).toContain('data-mention-me="true"');
    expect(render('@all ship it', { mentionedUserIds: [], mentionsEveryone: null })).not.toContain('data-testid="mention"');
  });
});
