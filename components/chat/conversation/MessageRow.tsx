'use client';
// One message: bubble (mine on the right), sender and avatar at the edges of a run, the quote of
// what it replies to, text or the deleted placeholder, time, "edited", ticks, and its menu.
import { memo, useMemo, useState } from 'react';
import { LIMITS, type MessageDto, type UserSummary } from '@/lib/protocol';
import { Avatar } from '@/components/ui/Avatar';
import { mentionsMe } from '@/lib/client/conversation-cache';
import { fullTimeLabel, timeLabel } from '@/lib/client/format';
import { mentionResolver } from '@/lib/client/mentions';
import type { Receipt } from '@/lib/client/receipts';
import type { OutgoingMessage } from '@/lib/client/stores/outbox';
import { AttachmentView, UploadingAttachment } from './AttachmentView';
import { MessageMenu, type MessageAction } from './MessageMenu';
import { mentionComponents, mentionPlugins } from './MentionText';
import { MessageText } from './MessageText';
import { MessageTicks, type TickStatus } from './MessageTicks';
import { ReplyQuote } from './ReplyQuote';
import { ReactionBar } from '@/components/chat/reactions/ReactionBar';
import { ReactionPicker } from '@/components/chat/reactions/ReactionPicker';
import { ThreadSummary } from '@/components/chat/thread/ThreadSummary';

export type MessageHandlers = {
  onReply: (message: MessageDto) => void;
  onEdit: (message: MessageDto) => void;
  onDelete: (message: MessageDto) => void;
  /** Server admins only: remove someone else's message (moderation). */
  onRemoveAsAdmin?: (message: MessageDto) => void;
  onJump: (messageId: string) => void;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
  onCancelUpload: (clientId: string) => void;
  /** Adds (`add`) or takes back my reaction (absent where I cannot: a conversation I left). */
  onReact?: (message: MessageDto, emoji: string, add: boolean) => void;
  /** Opens the thread of this top-level message (absent where threads do not open: in a thread). */
  onOpenThread?: (rootId: string) => void;
  /** A member's name by id, for who reacted. */
  nameOf: (userId: string) => string;
};

function canEdit(message: MessageDto, now: number): boolean {
  return !message.deletedAt && message.messageType === 'text' && now - Date.parse(message.createdAt) < LIMITS.editWindowMs;
}

export const MessageRow = memo(function MessageRow({
  message,
  outgoing,
  me,
  members,
  isGroup,
  continuesGroup,
  groupContinues,
  receipt,
  highlight,
  observeRead,
  handlers,
  threadUnread = 0,
}: {
  message: MessageDto;
  outgoing: OutgoingMessage | null;
  me: UserSummary;
  /** The conversation's members by username, for the message's mentions. */
  members: ReadonlyMap<string, UserSummary>;
  isGroup: boolean;
  continuesGroup: boolean;
  groupContinues: boolean;
  receipt: Receipt | null;
  /** The number of the jump that brought this message into view, while it is the one jumped to. */
  highlight: number | null;
  observeRead: ((element: HTMLElement | null) => (() => void) | undefined) | undefined;
  handlers: MessageHandlers;
  /** Replies I have not read in this message's thread, when I follow it. */
  threadUnread?: number;
}) {
  const mine = message.senderId === me.id;
  const deleted = Boolean(message.deletedAt);
  const local = Boolean(outgoing);
  const forMe = mentionsMe(message, me.id);
  const tone = mine ? 'mine' : 'theirs';
  // New renderers only when what they resolve changes: MessageText is memoised on them.
  const mentionRenderers = useMemo(
    () => mentionComponents(mentionResolver({ mentionedUserIds: message.mentionedUserIds, mentionsEveryone: message.mentionsEveryone }, members, me.id), tone),
    [message.mentionedUserIds, message.mentionsEveryone, members, me.id, tone],
  );
  const status: TickStatus | null = !mine ? null : outgoing ? outgoing.status : (receipt?.status ?? 'sent');
  // The jump highlight's life, told by its animation's own events (state, not timing, for tests).
  const [flash, setFlash] = useState({ started: 0, running: false });

  const getActions = (): MessageAction[] => {
    const actions: MessageAction[] = [];
    if (message.content) actions.push({ id: 'copy', label: 'Copy text', icon: 'copy', run: () => void navigator.clipboard?.writeText(message.content) });
    // A message still in the outbox has no server id yet: replying to it, editing or deleting it
    // would name a message the server does not know (its Retry/Discard controls stand in).
    if (local) return actions;
    actions.unshift({ id: 'reply', label: 'Reply', icon: 'reply', run: () => handlers.onReply(message) });
    if (handlers.onOpenThread && !message.threadRootId) {
      const open = handlers.onOpenThread;
      actions.splice(1, 0, { id: 'thread', label: 'Reply in thread', icon: 'thread', run: () => open(message.id) });
    }
    if (mine && canEdit(message, Date.now())) actions.push({ id: 'edit', label: 'Edit', icon: 'edit', run: () => handlers.onEdit(message) });
    if (mine) actions.push({ id: 'delete', label: 'Delete', icon: 'trash', danger: true, run: () => handlers.onDelete(message) });
    const { onRemoveAsAdmin } = handlers;
    if (!mine && onRemoveAsAdmin) actions.push({ id: 'remove', label: 'Remove (admin)', icon: 'trash', danger: true, run: () => onRemoveAsAdmin(message) });
    return actions;
  };

  const bubble = mine
    ? 'bg-indigo-600 text-white dark:bg-indigo-500'
    : 'bg-slate-100 text-slate-900 dark:bg-slate-800 dark:text-slate-100';
  const corners = mine
    ? `${continuesGroup ? 'rounded-tr-md' : ''} ${groupContinues ? 'rounded-br-md' : ''}`
    : `${continuesGroup ? 'rounded-tl-md' : ''} ${groupContinues ? 'rounded-bl-md' : ''}`;

  return (
    <li
      ref={observeRead}
      id={`message-${message.id}`}
      data-testid="message"
      data-message-id={local ? undefined : message.id}
      data-seq={local ? undefined : message.seq}
      data-client-id={message.clientId ?? undefined}
      data-mine={mine}
      data-mentions-me={forMe || undefined}
      data-status={status ?? undefined}
      data-flashes={flash.started || undefined}
      data-flashing={highlight != null && flash.running}
      tabIndex={-1}
      className={`group relative px-3 outline-none md:px-6 ${continuesGroup ? 'mt-0.5' : 'mt-3'}`}
    >
      {highlight != null ? (
        // A new element for every jump (keyed by it): its one-shot animation plays afresh each time.
        <span
          key={highlight}
          aria-hidden
          className="message-highlight pointer-events-none absolute inset-0"
          onAnimationStart={() => setFlash((f) => ({ started: f.started + 1, running: true }))}
          onAnimationEnd={() => setFlash((f) => ({ ...f, running: false }))}
        />
      ) : null}
      {isGroup && !mine && !continuesGroup ? <div className="mb-0.5 ml-11 text-xs font-medium text-slate-500 dark:text-slate-400">{message.sender.name}</div> : null}
      <div className={`flex items-end gap-1 ${mine ? 'flex-row-reverse' : ''}`}>
        {isGroup && !mine ? (
          <span className="mr-1 w-8 shrink-0">{groupContinues ? null : <Avatar id={message.senderId} name={message.sender.name} url={message.sender.avatarUrl} size="sm" />}</span>
        ) : null}
        <div
          className={`max-w-[min(80%,36rem)] rounded-2xl px-3 py-1.5 text-[15px] leading-snug ${bubble} ${corners} ${forMe ? 'ring-2 ring-amber-400 dark:ring-amber-500' : ''} ${local && outgoing?.status === 'pending' ? 'opacity-80' : ''} ${
            outgoing?.status === 'failed' ? 'ring-2 ring-red-500' : ''
          }`}
        >
          {message.replyTo ? <ReplyQuote reply={message.replyTo} mine={mine} onJump={local ? undefined : () => handlers.onJump(message.replyTo!.id)} /> : null}
          {deleted ? (
            <em className={`${mine ? 'text-indigo-100' : 'text-slate-500 dark:text-slate-400'}`} data-testid="message-deleted">
              {message.removedByAdmin ? 'This message was removed by an admin' : 'This message was deleted'}
            </em>
          ) : (
            <>
              {message.attachment ? <AttachmentView attachment={message.attachment} voice={message.messageType === 'voice'} mine={mine} /> : null}
              {outgoing?.fileName && !outgoing.attachment ? <UploadingAttachment outgoing={outgoing} onCancel={() => handlers.onCancelUpload(outgoing.clientId)} /> : null}
              {message.content ? (
                <div data-testid="message-text">
                  <MessageText text={message.content} remarkPlugins={mentionPlugins} components={mentionRenderers} />
                </div>
              ) : null}
            </>
          )}
          <span className={`float-right mt-1.5 ml-2 flex translate-y-0.5 items-center gap-1 text-[11px] ${mine ? 'text-indigo-100' : 'text-slate-500 dark:text-slate-400'}`}>
            {message.editedAt && !deleted ? <span data-testid="edited-marker">edited</span> : null}
            <time dateTime={message.createdAt} title={fullTimeLabel(message.createdAt)}>
              {timeLabel(message.createdAt)}
            </time>
            {status && !deleted ? <MessageTicks status={status} receipt={receipt} isGroup={isGroup} /> : null}
          </span>
        </div>
        {deleted || local ? (
          <span className="w-8 shrink-0" />
        ) : (
          <>
            <MessageMenu getActions={getActions} align={mine ? 'right' : 'left'} />
            {handlers.onReact ? <ReactionPicker align={mine ? 'right' : 'left'} onPick={(emoji) => handlers.onReact?.(message, emoji, true)} /> : null}
          </>
        )}
      </div>
      <div className={isGroup && !mine ? 'ml-10' : ''}>
        {!deleted && !local ? (
          <ReactionBar
            reactions={message.reactions}
            meId={me.id}
            nameOf={handlers.nameOf}
            align={mine ? 'right' : 'left'}
            onToggle={handlers.onReact ? (emoji, add) => handlers.onReact?.(message, emoji, add) : undefined}
          />
        ) : null}
        {message.thread && handlers.onOpenThread ? (
          <ThreadSummary thread={message.thread} unread={threadUnread} align={mine ? 'right' : 'left'} onOpen={() => handlers.onOpenThread!(message.id)} />
        ) : null}
        {message.threadRootId && handlers.onOpenThread ? (
          <div className={`mt-0.5 flex text-xs ${mine ? 'justify-end' : ''}`}>
            <button type="button" className="text-slate-500 underline hover:text-indigo-700 dark:text-slate-400" onClick={() => handlers.onOpenThread!(message.threadRootId!)}>
              Replied in a thread
            </button>
          </div>
        ) : null}
      </div>
      {outgoing?.status === 'failed' ? (
        <div role="alert" className="mt-1 flex justify-end gap-3 text-xs text-red-600 dark:text-red-400">
          <span>{outgoing.error ?? 'Not sent.'}</span>
          {/* Retry only where it can succeed: not for a file too large or of a type not allowed. */}
          {outgoing.retryable === false ? null : (
            <button type="button" className="font-semibold underline" onClick={() => handlers.onRetry(outgoing.clientId)}>
              Retry
            </button>
          )}
          <button type="button" className="underline" onClick={() => handlers.onDiscard(outgoing.clientId)}>
            Discard
          </button>
        </div>
      ) : null}
    </li>
  );
});
