'use client';
// Under a message with a thread: how many replies, the latest repliers' avatars, when the last
// reply came, and a dot when a thread I follow has replies I have not read. Opens the thread.
import type { ThreadSummaryDto } from '@/lib/protocol';
import { Avatar } from '@/components/ui/Avatar';
import { fullTimeLabel, listTimeLabel } from '@/lib/client/format';

export function ThreadSummary({ thread, unread, onOpen, align }: { thread: ThreadSummaryDto; unread: number; onOpen: () => void; align: 'left' | 'right' }) {
  const replies = `${thread.replyCount} ${thread.replyCount === 1 ? 'reply' : 'replies'}`;
  return (
    <div className={`mt-1 flex ${align === 'right' ? 'justify-end' : ''}`}>
      <button
        type="button"
        onClick={onOpen}
        data-testid="thread-summary"
        data-unread={unread > 0}
        aria-label={`${replies}${unread > 0 ? `, ${unread} unread` : ''}. Open thread`}
        className="inline-flex items-center gap-2 rounded-lg px-2 py-1 text-xs hover:bg-slate-100 dark:hover:bg-slate-800"
      >
        <span className="flex -space-x-2">
          {thread.repliers.map((user) => (
            <span key={user.id} className="rounded-full ring-2 ring-white dark:ring-slate-950">
              <Avatar id={user.id} name={user.name} url={user.avatarUrl} size="sm" />
            </span>
          ))}
        </span>
        <span className="font-semibold text-indigo-700 dark:text-indigo-300" data-testid="thread-reply-count">
          {replies}
        </span>
        {thread.lastReplyAt ? (
          <time dateTime={thread.lastReplyAt} title={fullTimeLabel(thread.lastReplyAt)} className="text-slate-500 dark:text-slate-400">
            Last reply {listTimeLabel(thread.lastReplyAt)}
          </time>
        ) : null}
        {unread > 0 ? <span data-testid="thread-unread" aria-hidden className="h-2 w-2 rounded-full bg-indigo-600 dark:bg-indigo-400" /> : null}
      </button>
    </div>
  );
}
