import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { MessageText } from '@/components/chat/conversation/MessageText';

const render = (text: string) => renderToStaticMarkup(createElement(MessageText, { text }));

describe('message Markdown', () => {
  it('renders the safe subset as elements', () => {
    const html = render('**bold** _it_ ~~gone~~ `x<y`\n\n```\nconst a = 1;\n```\n\n> quoted\n\n- one\n- two\n\n1. first');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<em>it</em>');
    expect(html).toContain('<del>gone</del>');
    expect(html).toMatch(/<code[^>]*>x&lt;y<\/code>/);
    expect(html).toMatch(/<pre[^>]*><code[^>]*>const a = 1;\n<\/code><\/pre>/);
    expect(html).toMatch(/<blockquote[^>]*>\s*<p[^>]*>quoted<\/p>/);
    expect(html).toMatch(/<ul[^>]*>\s*<li[^>]*>one<\/li>/);
    expect(html).toMatch(/<ol[^>]*>\s*<li[^>]*>first<\/li>/);
  });

  it('never interprets HTML a user typed: it shows as the text it is', () => {
    const html = render('Hi <b>not bold</b> <img src=x onerror=alert(1)> <script>alert(1)</script>\n\n<div>block</div>');
    expect(html).not.toMatch(/<img|<script|<b>|<div>block/);
    expect(html).toContain('Hi &lt;b&gt;not bold&lt;/b&gt; &lt;img src=x onerror=alert(1)&gt; &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;div&gt;block&lt;/div&gt;');
  });

  it('links only web and mail addresses, bare ones too', () => {
    const html = render('[click](javascript:alert(1)) [ok](https://example.com/a) see example.org/guide and ops@example.net ![pic](https://evil.example/x.png)');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('href="https://example.com/a"');
    expect(html).toContain('href="https://example.org/guide"');
    expect(html).toContain('href="mailto:ops@example.net"');
    // Images are not part of the subset: no remote request from a message.
    expect(html).not.toContain('<img');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
  });

  it('keeps typed line breaks and leaves headings and tables as text', () => {
    const html = render('line one\nline two\n\n# not a heading');
    expect(html).toContain('line one\nline two');
    expect(html).not.toContain('<h1');
    expect(html).toContain('not a heading');
  });
});
