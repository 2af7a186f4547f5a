// Message text in the safe Markdown subset (lib/client/markdown.ts): bold, italic, strikethrough,
// inline code, code blocks, quotes, lists and links, drawn by React from react-markdown's element
// tree. HTML typed in a message is shown as the text it is (no rehype-raw: react-markdown turns it
// into text nodes), never interpreted; links go through the safe-link rules.
// Other kinds of inline text (mentions, say) plug in as remark plugins and element renderers.
import { memo } from 'react';
import Markdown, { type Components, type Options } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { MARKDOWN_ELEMENTS, markdownUrl, remarkLinkify } from '@/lib/client/markdown';

const baseComponents: Components = {
  // Newlines typed inside a paragraph stay line breaks, as in any chat.
  p: ({ children }) => <p className="break-words whitespace-pre-wrap [&:not(:first-child)]:mt-1.5">{children}</p>,
  a: ({ href, children }) =>
    href ? (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow" className="underline decoration-1 underline-offset-2 hover:decoration-2">
        {children}
      </a>
    ) : (
      <>{children}</>
    ),
  code: ({ className, children }) => <code className={`${className ?? ''} rounded bg-black/10 px-1 font-mono text-[0.9em] dark:bg-white/10`}>{children}</code>,
  pre: ({ children }) => (
    <pre data-testid="code-block" className="my-1 max-w-full overflow-x-auto rounded-md bg-black/10 p-2 font-mono text-[13px] leading-snug dark:bg-white/10 [&>code]:bg-transparent [&>code]:p-0">
      {children}
    </pre>
  ),
  blockquote: ({ children }) => <blockquote className="my-1 border-l-4 border-current/30 pl-2 opacity-90">{children}</blockquote>,
  ul: ({ children }) => <ul className="my-1 list-disc pl-5">{children}</ul>,
  ol: ({ children, start }) => (
    <ol start={start} className="my-1 list-decimal pl-5">
      {children}
    </ol>
  ),
  li: ({ children }) => <li className="break-words whitespace-pre-wrap">{children}</li>,
  del: ({ children }) => <del>{children}</del>,
};

const basePlugins: NonNullable<Options['remarkPlugins']> = [[remarkGfm, { singleTilde: false }], remarkLinkify];

export const MessageText = memo(function MessageText({
  text,
  remarkPlugins = [],
  components,
}: {
  text: string;
  /** More inline syntax (mentions…): remark plugins run after the Markdown and link ones. */
  remarkPlugins?: NonNullable<Options['remarkPlugins']>;
  /** Renderers for the elements those plugins produce (or to override the defaults). */
  components?: Components;
}) {
  return (
    <div className="message-markdown min-w-0 break-words">
      <Markdown
        remarkPlugins={[...basePlugins, ...remarkPlugins]}
        components={components ? { ...baseComponents, ...components } : baseComponents}
        allowedElements={components ? undefined : MARKDOWN_ELEMENTS}
        allowElement={components ? (element) => MARKDOWN_ELEMENTS.includes(element.tagName as never) || element.tagName in components : undefined}
        unwrapDisallowed
        urlTransform={markdownUrl}
      >
        {text}
      </Markdown>
    </div>
  );
});
