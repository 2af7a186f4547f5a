'use client';
// One row of the sidebar: who, the last message, when, unread count, presence, muted/archived.
import type { MouseEvent } from 'react';
import type { ConversationDto } from '@/lib/protocol';
import { Avatar } from '@/components/ui/Avatar';
import { Icon } from '@/components/ui/Icon';
import { conversationTitle, listTimeLabel, messagePreview, otherParticipant } from '@/lib/client/format';
import { conversationPath } from '@/lib/client/hooks/useChatNavigation';
import { isMuted } from '@/lib/client/hooks/useDocumentTitle';
import { usePresence } from '@/lib/client/hooks/usePresence';
import { useTypingStore } from '@/lib/client/stores/typing';

export function ConversationListItem({
  conversation,
  meId,
  active,
  onOpen,
}: {
  conversation: ConversationDto;
  meId: string;
  active: boolean;
  onOpen: (id: string) => void;
}) {
  const other = otherParticipant(conversation, meId);
  const online = usePresence(other?.id);
  const someoneTyping = useTypingStore((s) => Object.keys(s.byConversation[conversation.id] ?? {}).length > 0);
  const title = conversationTitle(conversation, meId);
  const muted = isMuted(conversation.mutedUntil);
  const unread = conversation.unreadCount;
  const unreadMentions = conversation.unreadMentionCount;

  function onClick(event: MouseEvent<HTMLAnchorElement>) {
    // New tab / window keep the browser's behaviour.
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
    event.preventDefault();
    onOpen(conversation.id);
  }

  return (
    <li>
      <a
        href={conversationPath(conversation.id)}
        onClick={onClick}
        aria-current={active ? 'page' : undefined}
        data-testid="conversation-item"
        data-conversation-id={conversation.id}
        className={`flex h-[72px] items-center gap-3 px-3 outline-none focus-visible:bg-slate-100 focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-indigo-500 dark:focus-visible:bg-slate-800 ${
          active ? 'bg-indigo-50 dark:bg-indigo-950/60' : 'hover:bg-slate-50 dark:hover:bg-slate-900'
        }`}
      >
        <Avatar id={other?.id ?? conversation.id} name={title} url={other?.avatarUrl ?? conversation.avatarUrl} online={other ? online : undefined} />
        <span className="min-w-0 flex-1">
          <span className="flex items-baseline justify-between gap-2">
            <span className={`truncate ${unread > 0 ? 'font-semibold' : 'font-medium'}`} data-testid="conversation-title">
              {title}
            </span>
            <time dateTime={conversation.lastActivityAt} className="shrink-0 text-xs text-slate-500 dark:text-slate-400">
              {listTimeLabel(conversation.lastMessage?.createdAt ?? conversation.lastActivityAt)}
            </time>
          </span>
          <span className="mt-0.5 flex items-center justify-between gap-2">
            {someoneTyping ? (
              <span className="truncate text-sm text-indigo-600 italic dark:text-indigo-400">typing…</span>
            ) : (
              <span className="truncate text-sm text-slate-500 dark:text-slate-400" data-testid="conversation-preview">
                {conversation.lastMessage ? messagePreview(conversation.lastMessage, meId) : 'No messages yet'}
              </span>
            )}
            <span className="flex shrink-0 items-center gap-1">
              {conversation.archivedAt ? <Icon name="archive" label="Archived" className="h-4 w-4 text-slate-400" /> : null}
              {muted ? <Icon name="bellOff" label="Muted" className="h-4 w-4 text-slate-400" /> : null}
              {unreadMentions > 0 ? (
                // Mentions stand apart from the count (and from a mute): someone asked for me.
                <span
                  data-testid="mention-badge"
                  aria-label={`${unreadMentions} unread ${unreadMentions === 1 ? 'mention' : 'mentions'}`}
                  title={`${unreadMentions} unread ${unreadMentions === 1 ? 'mention' : 'mentions'}`}
                  className="flex h-5 min-w-5 items-center justify-center rounded-full bg-amber-500 px-1 text-xs leading-5 font-bold text-white"
                >
                  @{unreadMentions > 1 ? <span className="ml-0.5">{unreadMentions > 99 ? '99+' : unreadMentions}</span> : null}
                </span>
              ) : null}
              {unread > 0 ? (
                <span
                  data-testid="unread-badge"
                  aria-label={`${unread} unread`}
                  className={`min-w-5 rounded-full px-1.5 text-center text-xs leading-5 font-semibold text-white ${muted ? 'bg-slate-400 dark:bg-slate-600' : 'bg-indigo-600'}`}
                >
                  {unread > 99 ? '99+' : unread}
                </span>
              ) : null}
            </span>
          </span>
        </span>
      </a>
    </li>
  );
}

/** Same size as a real row, so nothing moves when the list arrives. */
export function ConversationListItemSkeleton() {
  return (
    <li aria-hidden className="flex h-[72px] items-center gap-3 px-3">
      <span className="h-10 w-10 shrink-0 animate-pulse rounded-full bg-slate-200 dark:bg-slate-800" />
      <span className="flex-1 space-y-2">
        <span className="block h-3.5 w-2/5 animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
        <span className="block h-3 w-3/4 animate-pulse rounded bg-slate-100 dark:bg-slate-800/60" />
      </span>
    </li>
  );
}
