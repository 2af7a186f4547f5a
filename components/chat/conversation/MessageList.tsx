'use client';
// The scrolling history of one conversation. It opens at the newest message and stays pinned to
// the bottom as messages arrive, unless the reader scrolled up (then a "new messages" button
// appears). Scrolling near the top loads older pages without moving what is on screen. It also
// carries out jumps to a message (load until present, scroll, highlight) and marks what is seen.
import { useQueryClient } from '@tanstack/react-query';
import { Fragment, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type UIEvent } from 'react';
import type { ConversationDto, MessageDto, UserSummary } from '@/lib/protocol';
import { Icon } from '@/components/ui/Icon';
import { dayLabel } from '@/lib/client/format';
import { useMarkReadOnView } from '@/lib/client/hooks/useMarkReadOnView';
import { useMessages } from '@/lib/client/hooks/useMessages';
import { useReadReceipts } from '@/lib/client/hooks/useReadReceipts';
import { findMessage, flattenPages, type MessagePages } from '@/lib/client/message-cache';
import { compareIds } from '@/lib/client/message-order';
import { buildMessageRows } from '@/lib/client/message-rows';
import { queryKeys } from '@/lib/client/query-keys';
import { useChatClient } from '@/lib/client/stores/connection';
import { useJumpStore } from '@/lib/client/stores/jump';
import { useOutboxStore } from '@/lib/client/stores/outbox';
import { MessageRow, type MessageHandlers } from './MessageRow';

/** Within this many pixels of the bottom counts as "at the bottom". */
const PINNED_SLACK_PX = 80;
/** Start loading older messages this far before reaching the top. */
const LOAD_OLDER_PX = 600;
const HIGHLIGHT_MS = 2500;

/**
 * The first message I have not read, if the loaded history shows where my read cursor is
 * (otherwise the divider would sit in the wrong place: better none).
 */
function firstUnreadId(messages: MessageDto[], readCursor: string | null, meId: string, holdsAllHistory: boolean): string | null {
  const oldest = messages[0];
  if (!oldest) return null;
  if (readCursor ? compareIds(readCursor, oldest.id) < 0 && !holdsAllHistory : !holdsAllHistory) return null;
  return messages.find((m) => m.senderId !== meId && !m.deletedAt && (!readCursor || compareIds(m.id, readCursor) > 0))?.id ?? null;
}

type Snapshot = { oldestKey: string | null; newestKey: string | null; scrollHeight: number; scrollTop: number };

export function MessageList({
  conversation,
  me,
  onReply,
  onEdit,
  onDelete,
}: {
  conversation: ConversationDto;
  me: UserSummary;
  onReply: (message: MessageDto) => void;
  onEdit: (message: MessageDto) => void;
  onDelete: (message: MessageDto) => void;
}) {
  const conversationId = conversation.id;
  const qc = useQueryClient();
  const client = useChatClient();
  const history = useMessages(conversationId);
  const { fetchNextPage, hasNextPage, isFetchingNextPage } = history;
  const receiptFor = useReadReceipts(conversationId, me.id);
  const observeRead = useMarkReadOnView(conversationId);
  const outbox = useOutboxStore((s) => s.messages);
  const jumpRequest = useJumpStore((s) => s.request);
  const jumpTo = useJumpStore((s) => s.jumpTo);

  const messages = useMemo(() => flattenPages(history.data), [history.data]);
  const rows = useMemo(() => {
    const mine = Object.values(outbox).filter((o) => o.conversationId === conversationId);
    return buildMessageRows(messages, mine, me);
  }, [messages, outbox, conversationId, me]);

  // "Unread messages" marks where I left off; placed once, when the history first arrives.
  const [unreadFrom, setUnreadFrom] = useState<string | null | undefined>(undefined);
  if (unreadFrom === undefined && history.data) {
    const readCursor = conversation.participants.find((p) => p.user.id === me.id)?.lastReadMessageId ?? null;
    setUnreadFrom(firstUnreadId(messages, readCursor, me.id, !hasNextPage));
  }

  const scroller = useRef<HTMLDivElement>(null);
  const snapshot = useRef<Snapshot | null>(null);
  const pinned = useRef(true);
  const [atBottom, setAtBottom] = useState(true);
  const [seenUpTo, setSeenUpTo] = useState<string | null>(null);
  const [highlight, setHighlight] = useState<{ id: string; seq: number } | null>(null);
  const scrolledForJump = useRef(0);

  const messageRows = rows.filter((r) => r.kind === 'message');
  const oldestKey = messageRows[0]?.key ?? null;
  const newest = messageRows[messageRows.length - 1];
  const newestKey = newest?.key ?? null;

  // Keep the view still when older messages arrive above, and pinned when newer ones arrive below.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const previous = snapshot.current;
    if (newestKey && (!previous || !previous.newestKey)) {
      // Opening: at the first unread message if there is one, else at the newest.
      const divider = el.querySelector<HTMLElement>('[data-testid="unread-divider"]');
      el.scrollTop = divider ? el.scrollTop + divider.getBoundingClientRect().top - el.getBoundingClientRect().top - 8 : el.scrollHeight;
      pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < PINNED_SLACK_PX;
    } else if (previous) {
      if (oldestKey !== previous.oldestKey && previous.oldestKey) el.scrollTop = previous.scrollTop + (el.scrollHeight - previous.scrollHeight);
      const sentByMe = newest?.kind === 'message' && newest.outgoing != null;
      if (newestKey !== previous.newestKey && (pinned.current || sentByMe)) el.scrollTop = el.scrollHeight;
    }
    snapshot.current = { oldestKey, newestKey, scrollHeight: el.scrollHeight, scrollTop: el.scrollTop };
  }, [oldestKey, newestKey, newest, rows]);

  // Stay at the bottom when something already shown grows (an image loads, a message is edited).
  useEffect(() => {
    const el = scroller.current;
    const content = el?.firstElementChild;
    if (!el || !content) return;
    const observer = new ResizeObserver(() => {
      if (pinned.current) el.scrollTop = el.scrollHeight;
      if (snapshot.current) snapshot.current = { ...snapshot.current, scrollHeight: el.scrollHeight, scrollTop: el.scrollTop };
    });
    observer.observe(content);
    return () => observer.disconnect();
  }, []);

  const loadOlderIfNear = useCallback(
    (el: HTMLElement) => {
      if (el.scrollTop < LOAD_OLDER_PX && hasNextPage && !isFetchingNextPage) void fetchNextPage();
    },
    [hasNextPage, isFetchingNextPage, fetchNextPage],
  );

  // A first page too short to scroll gives no scroll events: keep loading until it fills the view.
  useEffect(() => {
    const el = scroller.current;
    if (el && el.scrollHeight <= el.clientHeight + LOAD_OLDER_PX) loadOlderIfNear(el);
  }, [rows, loadOlderIfNear]);

  function onScroll(event: UIEvent<HTMLDivElement>) {
    const el = event.currentTarget;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < PINNED_SLACK_PX;
    pinned.current = bottom;
    setAtBottom(bottom);
    if (bottom && newest?.kind === 'message') setSeenUpTo(newest.message.id);
    if (snapshot.current) snapshot.current = { ...snapshot.current, scrollHeight: el.scrollHeight, scrollTop: el.scrollTop };
    loadOlderIfNear(el);
  }

  function scrollToBottom() {
    const el = scroller.current;
    if (!el) return;
    pinned.current = true;
    el.scrollTo({ top: el.scrollHeight, behavior: 'smooth' });
  }

  // Jump: load older pages until the message is held, then highlight it (the effect below scrolls).
  useEffect(() => {
    if (!jumpRequest || jumpRequest.conversationId !== conversationId) return;
    let cancelled = false;
    void (async () => {
      const key = queryKeys.messages(conversationId);
      for (;;) {
        const data = qc.getQueryData<MessagePages>(key);
        if (cancelled || !data || findMessage(data, jumpRequest.messageId)) break;
        const oldest = data.pages[data.pages.length - 1];
        if (!oldest?.hasMore) break;
        await fetchNextPage();
      }
      if (!cancelled) setHighlight({ id: jumpRequest.messageId, seq: jumpRequest.seq });
    })();
    return () => {
      cancelled = true;
    };
  }, [jumpRequest, conversationId, qc, fetchNextPage]);

  useLayoutEffect(() => {
    if (!highlight || scrolledForJump.current === highlight.seq) return;
    const element = document.getElementById(`message-${highlight.id}`);
    if (!element) return;
    scrolledForJump.current = highlight.seq;
    pinned.current = false;
    element.scrollIntoView({ block: 'center' });
    element.focus({ preventScroll: true });
  }, [highlight, rows]);

  useEffect(() => {
    if (!highlight) return;
    const timer = setTimeout(() => setHighlight(null), HIGHLIGHT_MS);
    return () => clearTimeout(timer);
  }, [highlight]);

  const handlers = useMemo<MessageHandlers>(
    () => ({
      onReply,
      onEdit,
      onDelete,
      onJump: (messageId) => jumpTo(conversationId, messageId),
      onRetry: (clientId) => client?.retry(clientId),
      onDiscard: (clientId) => client?.discard(clientId),
    }),
    [onReply, onEdit, onDelete, jumpTo, conversationId, client],
  );

  const unseen = seenUpTo ? messages.filter((m) => m.senderId !== me.id && compareIds(m.id, seenUpTo) > 0).length : 0;
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
              <span data-testid="history-start">This is the beginning of the conversation</span>
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
                  {row.message.id === unreadFrom ? (
                    <li data-testid="unread-divider" className="my-3 flex items-center gap-3 px-6 text-xs font-semibold text-indigo-600 dark:text-indigo-400">
                      <span className="h-px flex-1 bg-indigo-200 dark:bg-indigo-900" />
                      Unread messages
                      <span className="h-px flex-1 bg-indigo-200 dark:bg-indigo-900" />
                    </li>
                  ) : null}
                  <MessageRow
                    message={row.message}
                    outgoing={row.outgoing}
                    me={me}
                    isGroup={isGroup}
                    continuesGroup={row.continuesGroup}
                    groupContinues={row.groupContinues}
                    receipt={row.message.senderId === me.id && !row.outgoing ? receiptFor(row.message) : null}
                    highlighted={highlight?.id === row.message.id}
                    observeRead={row.message.senderId !== me.id && !row.message.deletedAt ? observeRead : undefined}
                    handlers={handlers}
                  />
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
