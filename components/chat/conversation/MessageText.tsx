// Message text as React text nodes and safe links: nothing in a message is ever parsed as HTML.
// With a resolver, the message's mentions are highlighted (MentionText), links still linked.
import type { ReactNode } from 'react';
import { linkify } from '@/lib/client/linkify';
import type { MentionResolver } from '@/lib/client/mentions';
import { MentionText, type MentionTone } from './MentionText';

function Linked({ text }: { text: string }) {
  return linkify(text).map((segment, i) =>
    segment.kind === 'link' ? (
      <a
        key={i}
        href={segment.href}
        target="_blank"
        rel="noopener noreferrer nofollow"
        className="underline decoration-1 underline-offset-2 hover:decoration-2"
      >
        {segment.text}
      </a>
    ) : (
      segment.text
    ),
  );
}

const linked = (text: string): ReactNode => <Linked text={text} />;

export function MessageText({ text, mentions }: { text: string; mentions?: { resolve: MentionResolver; tone: MentionTone } }) {
  return (
    <span className="break-words whitespace-pre-wrap">
      {mentions ? <MentionText text={text} resolve={mentions.resolve} tone={mentions.tone} renderPlain={linked} /> : linked(text)}
    </span>
  );
}
