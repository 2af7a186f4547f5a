// The quote of the message replied to; clicking it brings the original into view.
import type { ReplyPreviewDto } from '@/lib/protocol';

export function ReplyQuote({ reply, onJump, mine }: { reply: ReplyPreviewDto; onJump?: () => void; mine: boolean }) {
  const body = reply.deletedAt ? <em>Message deleted</em> : reply.content || reply.messageType;
  return (
    <button
      type="button"
      onClick={onJump}
      disabled={!onJump}
      data-testid="reply-quote"
      aria-label={`Reply to ${reply.senderName}: ${reply.deletedAt ? 'deleted message' : reply.content}. Show original`}
      className={`mb-1 block w-full rounded-md border-l-4 px-2 py-1 text-left text-xs focus-visible:outline-2 focus-visible:outline-indigo-500 ${
        mine ? 'border-white/70 bg-white/15 hover:bg-white/25' : 'border-indigo-500 bg-slate-200/70 hover:bg-slate-200 dark:bg-slate-700/60 dark:hover:bg-slate-700'
      }`}
    >
      <span className="block font-semibold">{reply.senderName}</span>
      <span className="line-clamp-2 opacity-90">{body}</span>
    </button>
  );
}
