// Mentions inside a message, highlighted: MessageText's Markdown marks each written `@name`
// (lib/client/remark-mentions.ts) and this renders the mark, resolved against what the server
// stored for the message (lib/client/mentions.ts): a real mention is highlighted, mine stand out;
// a name that mentions nobody stays plain text. Self-contained: MessageRow hands MessageText the
// plugin and these renderers.
import type { ReactNode } from 'react';
import type { Components } from 'react-markdown';
import type { Element } from 'hast';
import type { MentionResolver, MentionTarget } from '@/lib/client/mentions';
import { MENTION_ELEMENT, MENTION_PROPERTY, remarkMentions } from '@/lib/client/remark-mentions';

export type MentionTone = 'mine' | 'theirs';

const STYLES: Record<MentionTone, { other: string; me: string }> = {
  // In my own (indigo) bubble.
  mine: { other: 'bg-white/20 font-semibold text-inherit', me: 'bg-amber-300 font-semibold text-amber-950' },
  theirs: {
    other: 'bg-indigo-100 font-semibold text-indigo-700 dark:bg-indigo-500/25 dark:text-indigo-200',
    me: 'bg-amber-200 font-semibold text-amber-900 dark:bg-amber-400/30 dark:text-amber-100',
  },
};

function describe(target: MentionTarget): string {
  if (target.kind === 'everyone') return target.scope === 'all' ? 'Mentions every member' : 'Mentions members who were online';
  return target.me ? 'Mentions you' : `Mentions ${target.user.name}`;
}

export function Mention({ name, resolve, tone, children }: { name: string; resolve: MentionResolver; tone: MentionTone; children: ReactNode }) {
  const target = resolve(name);
  if (!target) return <>{children}</>;
  return (
    <span
      data-testid="mention"
      data-mention-me={target.me ? 'true' : undefined}
      title={describe(target)}
      className={`rounded px-0.5 ${target.me ? STYLES[tone].me : STYLES[tone].other}`}
    >
      {children}
    </span>
  );
}

export const mentionPlugins = [remarkMentions];

/** MessageText's renderers for the marked mentions of one message. */
export function mentionComponents(resolve: MentionResolver, tone: MentionTone): Components {
  return {
    [MENTION_ELEMENT]: ({ node, children }: { node?: Element; children?: ReactNode }) => (
      <Mention name={String(node?.properties?.[MENTION_PROPERTY] ?? '')} resolve={resolve} tone={tone}>
        {children}
      </Mention>
    ),
  };
}
