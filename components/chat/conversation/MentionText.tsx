// Mentions inside a message's text, highlighted: the names the server resolved for this message
// (lib/client/mentions.ts); mine stand out. Self-contained so any text renderer can use it: it
// cuts the text into mentions and plain runs, and hands each plain run to `renderPlain` (links,
// or a Markdown renderer's own text handling).
import { Fragment, type ReactNode } from 'react';
import { splitMentions } from '@/lib/chat/mention-syntax';
import type { MentionResolver, MentionTarget } from '@/lib/client/mentions';

export type MentionTone = 'mine' | 'theirs';

const STYLES: Record<MentionTone, { other: string; me: string }> = {
  // In my own (indigo) bubble.
  mine: { other: 'bg-white/20 font-semibold', me: 'bg-amber-300 font-semibold text-amber-950' },
  theirs: {
    other: 'bg-indigo-100 font-semibold text-indigo-700 dark:bg-indigo-500/25 dark:text-indigo-200',
    me: 'bg-amber-200 font-semibold text-amber-900 dark:bg-amber-400/30 dark:text-amber-100',
  },
};

function describe(target: MentionTarget): string {
  if (target.kind === 'everyone') return target.scope === 'all' ? 'Mentions every member' : 'Mentions members who were online';
  return target.me ? 'Mentions you' : `Mentions ${target.user.name}`;
}

export function MentionText({
  text,
  resolve,
  tone,
  renderPlain = (plain) => plain,
}: {
  text: string;
  resolve: MentionResolver;
  tone: MentionTone;
  renderPlain?: (plain: string) => ReactNode;
}) {
  return splitMentions(text).map((segment, i) => {
    const target = segment.kind === 'mention' ? resolve(segment.name) : null;
    if (!target) return <Fragment key={i}>{renderPlain(segment.text)}</Fragment>;
    return (
      <span
        key={i}
        data-testid="mention"
        data-mention-me={target.me ? 'true' : undefined}
        title={describe(target)}
        className={`rounded px-0.5 ${target.me ? STYLES[tone].me : STYLES[tone].other}`}
      >
        {segment.text}
      </span>
    );
  });
}
