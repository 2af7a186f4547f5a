'use client';
// One message found by a search (in a conversation, or everywhere): who wrote it, when, and the
// start of what it says; choosing it jumps to the message.
import type { ReactNode } from 'react';
import type { MessageDto } from '@/lib/protocol';
import { Avatar } from '@/components/ui/Avatar';
import { listTimeLabel } from '@/lib/client/format';

export const resultButton =
  'flex w-full items-start gap-3 text-left hover:bg-slate-50 focus-visible:bg-slate-100 focus-visible:outline-none dark:hover:bg-slate-800 dark:focus-visible:bg-slate-800';

export function MessageResult({
  message,
  heading,
  testId,
  className,
  onPick,
}: {
  message: Pick<MessageDto, 'senderId' | 'sender' | 'createdAt' | 'content'>;
  /** The left of the result's first line: the sender, or where and by whom. */
  heading: ReactNode;
  testId: string;
  className: string;
  onPick: () => void;
}) {
  return (
    <button type="button" data-testid={testId} className={`${resultButton} ${className}`} onClick={onPick}>
      <Avatar id={message.senderId} name={message.sender.name} url={message.sender.avatarUrl} size="sm" />
      <span className="min-w-0 flex-1">
        <span className="flex justify-between gap-2 text-xs text-slate-500">
          <span className="truncate">{heading}</span>
          <time dateTime={message.createdAt}>{listTimeLabel(message.createdAt)}</time>
        </span>
        <span className="line-clamp-2 text-sm">{message.content}</span>
      </span>
    </button>
  );
}
