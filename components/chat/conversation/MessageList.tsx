'use client';
// The history of one conversation as a list: day separators, messages (mine and others', pending
// ones included), the "Unread messages" line, loading and start-of-history notes, and the
// "new messages" button. Scrolling is useStickyScroll's job, jumps useJumpToMessage's.
import { Fragment, useCallback, useMemo, useState } from 'react';
import type { ConversationDto, MessageDto, UserSummary } from '@/lib/protocol';
import { Icon } from '@/components/ui/Icon';
import { dayLabel } from '@/lib/client/format';
import { useMarkReadOnView } from '@/lib/client/hooks/useMarkReadOnView';
import { useMessages } from '@/lib/client/hooks/useMessages';
import { useReadReceipts } from '@/lib/client/hooks/useReadReceipts';
import { flattenPages } from '@/lib/client/message-cache';
import { buildMessageRows, inTimeline } from '@/lib/client/message-rows';
import { useUnreadThreads } from '@/lib/client/hooks/useThread';
import { membersByUsername } from '@/lib/client/mentions';
import { useJumpStore } from '@/lib/client/stores/jump';
import { useOutboxStore } from '@/lib/client/stores/outbox';
import { useSyncEngine } from '@/lib/client/sync-engine-provider';
import { firstUnreadId } from '@/lib/client/unread';
import { MessageRow, type MessageHandlers } from './MessageRow';
import { TimelineNote, historyStartLine } from './TimelineNote';
import { useJumpToMessage } from './useJumpToMessage';
import { useStickyScroll } from './useStickyScroll';

function UnreadDivider() {
  return (
    <li data-testid="unread-divider" data-unread-divider className="my-3 flex items-center gap-3 px-6 text-xs font-semibold text-indigo-600 dark:text-indigo-400">
      <span className="h-px flex-1 bg-indigo-200 dark:bg-indigo-900" />
      Unread messages
      <span className="h-px flex-1 bg-indigo-200 dark:bg-indigo-900" />
    </li>
  );
}

export function MessageList({
  conversation,
  me,
  onReply,
  onEdit,
  onDelete,
  onReact,
  onOpenThread,
  nameOf,
  onRemoveAsAdmin,
}: {
  conversation: ConversationDto;
  me: UserSummary;
  onReply: (message: MessageDto) => void;
  onEdit: (message: MessageDto) => void;
  onDelete: (message: MessageDto) => void;
  onReact?: MessageHandlers['onReact'];
  onOpenThread?: (rootId: string) => void;
  nameOf: (userId: string) => string;
  onRemoveAsAdmin?: (message: MessageDto) => void;
}) {
  const conversationId = conversation.id;
  const engine = useSyncEngine();
  const history = useMessages(conversationId);
  const { fetchNextPage, hasNextPage, isFetchingNextPage } = history;
  const receiptFor = useReadReceipts(conversationId, me.id);
  const observeRead = useMarkReadOnView(conversationId);
  const outbox = useOutboxStore((s) => s.messages);
  const jumpTo = useJumpStore((s) => s.jumpTo);
  const unreadThreads = useUnreadThreads(conversationId);

  const messages = useMemo(() => flattenPages(history.data), [history.data]);
  // Mentions name members by username; one map for every row (changes only with the members).
  const members = useMemo(() => membersByUsername(conversation), [conversation.participants]); // eslint-disable-line react-hooks/exhaustive-deps
  const rows = useMemo(() => {
    // My unsent thread-only replies wait in their thread, not here.
    const mine = Object.values(outbox).filter((o) => o.conversationId === conversationId && inTimeline(o));
    return buildMessageRows(messages, mine, me);
  }, [messages, outbox, conversationId, me]);

  // "Unread messages" marks where I left off; placed once, when the history first arrives.
  const [unreadFrom, setUnreadFrom] = useState<string | null | undefined>(undefined);
  if (unreadFrom === undefined && history.data) {
    const readSeq = conversation.participants.find((p) => p.user.id === me.id)?.lastReadSeq ?? null;
    setUnreadFrom(firstUnreadId(messages, readSeq, me.id, !hasNextPage));
  }

  const messageRows = rows.filter((r) => r.kind === 'message');
  const newest = messageRows[messageRows.length - 1];
  const loadOlder = useCallback(() => void fetchNextPage(), [fetchNextPage]);
  const { scroller, onScroll, atBottom, seenUpTo, scrollToBottom, unpin } = useStickyScroll({
    oldestKey: messageRows[0]?.key ?? null,
    newestKey: newest?.key ?? null,
    newestSeq: messages[messages.length - 1]?.seq ?? null,
    newestIsMine: newest?.outgoing != null,
    rows,
    hasOlder: hasNextPage,
    loadingOlder: isFetchingNextPage,
    loadOlder,
  });
  const jumpTarget = useJumpToMessage(conversationId, fetchNextPage, rows, unpin);

  const handlers = useMemo<MessageHandlers>(
    () => ({
      onReply,
      onEdit,
      onDelete,
      onRemoveAsAdmin,
      onJump: (messageId) => jumpTo(conversationId, messageId),
      onRetry: (clientId) => engine.retry(clientId),
      onDiscard: (clientId) => engine.discard(clientId),
      onCancelUpload: (clientId) => engine.cancelUpload(clientId),
      onReact,
      onOpenThread,
      nameOf,
    }),
    [onReply, onEdit, onDelete, onRemoveAsAdmin, jumpTo, conversationId, engine, onReact, onOpenThread, nameOf],
  );

  const unseen = seenUpTo != null ? messages.filter((m) => m.senderId !== me.id && !m.system && m.seq > seenUpTo).length : 0;
  const isGroup = conversation.type === 'group';

  return (
    <div className="relative min-h-0 flex-1">
      <div
        ref={scroller}
        onScroll={onScroll}
        tabIndex={0}
        role="region"
        aria-label="Messages"
        data-testid="message-scroller"
        className="message-scroller h-full overflow-y-auto overscroll-contain pb-3 outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-inset"
      >
        {/* Few messages sit at the bottom, next to the composer, as in any chat. */}
        <div className="flex min-h-full flex-col justify-end">
          {/* Not drawn until the first page is here: it would sit at the bottom, then jump to the top. */}
          <div className={`h-12 shrink-0 items-center justify-center text-xs text-slate-500 dark:text-slate-400 ${history.isPending ? 'hidden' : 'flex'}`}>
            {isFetchingNextPage ? (
              <span role="status">Loading messages…</span>
            ) : history.isError ? (
              <button type="button" className="underline" onClick={() => void history.refetch()}>
                Could not load messages. Try again
              </button>
            ) : !hasNextPage && messages.length > 0 ? (
              <span data-testid="history-start">{historyStartLine(conversation)}</span>
            ) : null}
          </div>
          {history.isSuccess && rows.length === 0 ? (
            <p className="px-6 py-10 text-center text-sm text-slate-500 dark:text-slate-400">No messages yet. Say hello!</p>
          ) : null}
          <ol>
            {rows.map((row) =>
              row.kind === 'day' ? (
                <li key={row.key} className="sticky top-2 z-10 my-3 flex justify-center" data-testid="day-separator">
                  <span className="rounded-full bg-white/90 px-3 py-1 text-xs font-medium text-slate-600 shadow-sm ring-1 ring-slate-200 backdrop-blur dark:bg-slate-900/90 dark:text-slate-300 dark:ring-slate-700">
                    {dayLabel(row.at)}
                  </span>
                </li>
              ) : (
                <Fragment key={row.key}>
                  {row.message.id === unreadFrom ? <UnreadDivider /> : null}
                  {row.message.system ? (
                    <TimelineNote message={row.message} highlight={jumpTarget?.id === row.message.id} />
                  ) : (
                  <MessageRow
                    message={row.message}
                    outgoing={row.outgoing}
                    me={me}
                    members={members}
                    isGroup={isGroup}
                    continuesGroup={row.continuesGroup}
                    groupContinues={row.groupContinues}
                    receipt={row.message.senderId === me.id && !row.outgoing ? receiptFor(row.message) : null}
                    highlight={jumpTarget?.id === row.message.id ? jumpTarget.seq : null}
                    observeRead={row.message.senderId !== me.id && !row.message.deletedAt ? observeRead : undefined}
                    handlers={handlers}
                    threadUnread={unreadThreads.get(row.message.id) ?? 0}
                  />
                  )}
                </Fragment>
              ),
            )}
          </ol>
        </div>
      </div>
      {history.isPending ? (
        <div role="status" className="absolute inset-0 flex items-center justify-center text-sm text-slate-500 dark:text-slate-400">
          Loading messages…
        </div>
      ) : null}
      {!atBottom ? (
        <button
          type="button"
          onClick={scrollToBottom}
          data-testid="jump-to-latest"
          className="absolute right-4 bottom-4 z-20 inline-flex items-center gap-1.5 rounded-full bg-white px-3 py-2 text-sm font-medium text-indigo-700 shadow-lg ring-1 ring-slate-200 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:bg-slate-800 dark:text-indigo-300 dark:ring-slate-700"
        >
          <Icon name="down" className="h-4 w-4" />
          {unseen > 0 ? `${unseen} new message${unseen === 1 ? '' : 's'}` : 'Jump to latest'}
        </button>
      ) : null}
    </div>
  );
}
