// Message text as React text nodes and safe links: nothing in a message is ever parsed as HTML.
import { linkify } from '@/lib/client/linkify';

export function MessageText({ text }: { text: string }) {
  return (
    <span className="break-words whitespace-pre-wrap">
      {linkify(text).map((segment, i) =>
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
      )}
    </span>
  );
}
