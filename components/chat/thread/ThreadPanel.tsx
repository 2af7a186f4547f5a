'use client';
// A thread beside its conversation: the top message, its replies (older ones on demand), and a
// composer that replies in the thread, optionally also in the conversation. Replies from others
// mark the thread read while it is open in a visible tab; a reply found by search is brought
// into view and highlighted.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ConversationDto, MessageDto, UserSummary } from '@/lib/protocol';
import { Composer, type ComposerMode } from '@/components/chat/conversation/Composer';
import { MessageRow, type MessageHandlers } from '@/components/chat/conversation/MessageRow';
import { SidePanel } from '@/components/chat/conversation/SidePanel';
import { useThreadReplies, useThreadRoot } from '@/lib/client/hooks/useThread';
import { flattenPages, findMessage } from '@/lib/client/message-cache';
import { buildMessageRows } from '@/lib/client/message-rows';
import { membersByUsername } from '@/lib/client/mentions';
import { useOutboxStore } from '@/lib/client/stores/outbox';
import { useSyncEngine } from '@/lib/client/sync-engine-provider';

export function ThreadPanel({
  conversation,
  me,
  rootId,
  focusId,
  focusSeq,
  handlers,
  onDelete,
  onClose,
}: {
  conversation: ConversationDto;
  me: UserSummary;
  rootId: string;
  /** A reply to bring into view (and the number of that request, to replay its highlight). */
  focusId: string | null;
  focusSeq: number;
  handlers: Omit<MessageHandlers, 'onReply' | 'onEdit' | 'onDelete' | 'onOpenThread'>;
  onDelete: (message: MessageDto) => void;
  onClose: () => void;
}) {
  const engine = useSyncEngine();
  const replies = useThreadReplies(rootId);
  const root = useThreadRoot(rootId).data;
  const outbox = useOutboxStore((s) => s.messages);
  const [mode, setMode] = useState<ComposerMode>(null);
  const [alsoInConversation, setAlsoInConversation] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);
  const { fetchNextPage, hasNextPage, isFetchingNextPage } = replies;

  const messages = useMemo(() => flattenPages(replies.data), [replies.data]);
  const members = useMemo(() => membersByUsername(conversation), [conversation]);
  const rows = useMemo(
    () => buildMessageRows(messages, Object.values(outbox).filter((o) => o.threadRootId === rootId), me).filter((row) => row.kind === 'message'),
    [messages, outbox, rootId, me],
  );
  const rowHandlers = useMemo<MessageHandlers>(
    () => ({
      ...handlers,
      onReply: (message) => setMode({ kind: 'reply', message }),
      onEdit: (message) => setMode({ kind: 'edit', message }),
      onDelete,
    }),
    [handlers, onDelete],
  );

  // Read while open in a visible tab: the newest reply from someone else.
  const newestFromOthers = [...messages].reverse().find((m) => m.senderId !== me.id);
  useEffect(() => {
    if (!newestFromOthers || document.visibilityState !== 'visible') return;
    engine.markThreadRead(conversation.id, rootId, newestFromOthers.id);
  }, [engine, conversation.id, rootId, newestFromOthers?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  // A reply to bring into view: older pages until it is held, then scrolled to. Otherwise the
  // newest replies stay in view as they come.
  const focusHeld = focusId ? Boolean(findMessage(replies.data, focusId)) : false;
  useEffect(() => {
    if (focusId && replies.data && !focusHeld && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [focusId, focusHeld, replies.data, hasNextPage, isFetchingNextPage, fetchNextPage]);
  useLayoutEffect(() => {
    const element = focusId ? document.getElementById(`thread-message-${focusId}`) : null;
    if (element) element.scrollIntoView({ block: 'center' });
    else if (!focusId && scroller.current) scroller.current.scrollTop = scroller.current.scrollHeight;
  }, [focusId, focusSeq, focusHeld, rows.length]);

  function send(content: string) {
    engine.send({ conversationId: conversation.id, content, replyTo: replyPreview(), threadRootId: rootId, alsoInConversation });
    if (mode?.kind === 'reply') setMode(null);
  }

  function sendFile(file: File, caption: string) {
    engine.sendFile({ conversationId: conversation.id, content: caption, replyTo: replyPreview(), threadRootId: rootId, alsoInConversation, file, fileName: file.name || 'file' });
    if (mode?.kind === 'reply') setMode(null);
  }

  function replyPreview() {
    if (mode?.kind !== 'reply') return null;
    const { id, senderId, sender, content, messageType } = mode.message;
    return { id, senderId, senderName: sender.name, content: content.slice(0, 200), messageType, deletedAt: null };
  }

  const isGroup = conversation.type === 'group';
  const count = root?.thread?.replyCount ?? messages.filter((m) => !m.deletedAt).length;

  return (
    <SidePanel title="Thread" onClose={onClose} wide>
      <div className="flex h-full min-h-0 flex-col" data-testid="thread-panel" data-root-id={rootId}>
        <div ref={scroller} className="min-h-0 flex-1 overflow-y-auto pb-3">
          {root ? (
            <ol data-testid="thread-root">
              <MessageRow
                message={root}
                outgoing={null}
                me={me}
                isGroup={isGroup}
                continuesGroup={false}
                groupContinues={false}
                receipt={null}
                highlight={null}
                observeRead={undefined}
                handlers={rowHandlers}
                members={members}
              />
            </ol>
          ) : (
            <p role="status" className="p-4 text-sm text-slate-500">
              Loading thread…
            </p>
          )}
          <div className="my-2 flex items-center gap-3 px-4 text-xs text-slate-500 dark:text-slate-400">
            <span data-testid="thread-panel-count">
              {count} {count === 1 ? 'reply' : 'replies'}
            </span>
            <span className="h-px flex-1 bg-slate-200 dark:bg-slate-800" />
          </div>
          {hasNextPage ? (
            <div className="px-4 pb-2">
              <button type="button" className="text-xs underline" onClick={() => void fetchNextPage()} disabled={isFetchingNextPage}>
                {isFetchingNextPage ? 'Loading…' : 'Show earlier replies'}
              </button>
            </div>
          ) : null}
          {replies.isError ? (
            <p role="alert" className="px-4 text-sm text-red-600">
              Could not load this thread.
            </p>
          ) : null}
          <ol data-testid="thread-replies">
            {rows.map((row) =>
              row.kind === 'message' ? (
                <div key={row.key} id={row.outgoing ? undefined : `thread-message-${row.message.id}`}>
                  <MessageRow
                    message={row.message}
                    outgoing={row.outgoing}
                    me={me}
                    isGroup={isGroup}
                    continuesGroup={row.continuesGroup}
                    groupContinues={row.groupContinues}
                    receipt={null}
                    highlight={focusId === row.message.id ? focusSeq : null}
                    observeRead={undefined}
                    handlers={rowHandlers}
                    members={members}
                  />
                </div>
              ) : null,
            )}
          </ol>
        </div>
        <Composer
          conversationId={conversation.id}
          conversationName={conversation.name ?? ''}
          mentionable={{ conversation, meId: me.id }}
          draftKey={`thread:${rootId}`}
          inputId="thread-composer"
          label="Reply in thread"
          mode={mode}
          onCancelMode={() => setMode(null)}
          onSend={send}
          onSendFile={sendFile}
          onSaveEdit={(message, content) => engine.editMessage(message.id, content)}
          onEditLast={() => {
            const last = [...messages].reverse().find((m) => m.senderId === me.id && !m.deletedAt && m.messageType === 'text');
            if (last) setMode({ kind: 'edit', message: last });
          }}
          onTyping={() => {}}
          onStopTyping={() => {}}
          footer={
            <label className="mt-1.5 flex items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
              <input type="checkbox" checked={alsoInConversation} onChange={(e) => setAlsoInConversation(e.target.checked)} />
              Also send to the conversation
            </label>
          }
        />
      </div>
    </SidePanel>
  );
}
