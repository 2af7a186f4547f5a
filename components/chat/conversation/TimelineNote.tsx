'use client';
// A timeline note (a member added, removed or gone; a rename; a privacy change) drawn as a quiet
// line between the messages, and the line that opens a group's history: who made it, when.
import type { ConversationDto, MessageDto } from '@/lib/protocol';
import { fullTimeLabel, timeLabel } from '@/lib/client/format';

export function TimelineNote({ message, highlight }: { message: MessageDto; highlight: boolean }) {
  return (
    <li
      id={`message-${message.id}`}
      data-testid="timeline-note"
      data-message-id={message.id}
      data-seq={message.seq}
      data-event={message.system?.event}
      tabIndex={-1}
      className="my-2 flex justify-center px-6 outline-none"
    >
      <span className={`max-w-[90%] rounded-full bg-slate-100 px-3 py-1 text-center text-xs text-slate-600 dark:bg-slate-800 dark:text-slate-300 ${highlight ? 'ring-2 ring-indigo-400' : ''}`}>
        {message.content}
        <time dateTime={message.createdAt} title={fullTimeLabel(message.createdAt)} className="ml-2 text-slate-400">
          {timeLabel(message.createdAt)}
        </time>
      </span>
    </li>
  );
}

/** The first line of a history: a group says who created it (its creation is not a stored note). */
export function historyStartLine(conversation: ConversationDto): string {
  if (conversation.type !== 'group') return 'This is the beginning of the conversation';
  const creator =
    conversation.participants.find((p) => p.user.id === conversation.createdById)?.user ??
    conversation.formerMembers.find((f) => f.user.id === conversation.createdById)?.user;
  const when = fullTimeLabel(conversation.createdAt);
  return creator ? `${creator.name} created this group · ${when}` : `This group was created ${when}`;
}
