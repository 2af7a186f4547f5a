'use client';
// The bar over a conversation: back (on phones), who or which group, presence or member count,
// and the search and info buttons.
import type { ConversationDto } from '@/lib/protocol';
import { Avatar } from '@/components/ui/Avatar';
import { Icon } from '@/components/ui/Icon';
import { conversationTitle, otherParticipant } from '@/lib/client/format';
import { isMuted } from '@/lib/client/hooks/useDocumentTitle';
import { usePresence, usePresenceLine } from '@/lib/client/hooks/usePresence';

export function ConversationHeader({
  conversation,
  meId,
  onBack,
  onSearch,
  onInfo,
  searchOpen,
  infoOpen,
}: {
  conversation: ConversationDto;
  meId: string;
  onBack: () => void;
  onSearch: () => void;
  onInfo: () => void;
  searchOpen: boolean;
  infoOpen: boolean;
}) {
  const other = otherParticipant(conversation, meId);
  const online = usePresence(other?.id);
  const otherLastSeen = conversation.participants.find((p) => p.user.id === other?.id)?.lastSeenAt;
  const presenceLine = usePresenceLine(other?.id, otherLastSeen);
  const title = conversationTitle(conversation, meId);
  const members = `${conversation.participants.length} member${conversation.participants.length === 1 ? '' : 's'}`;
  const subtitle = other
    ? presenceLine === 'online'
      ? 'Online'
      : (presenceLine ?? 'Offline')
    : conversation.privacy === 'public'
      ? `Public channel · ${members}`
      : members;

  return (
    <header className="flex h-16 shrink-0 items-center gap-2 border-b border-slate-200 px-2 md:px-4 dark:border-slate-800">
      <button type="button" onClick={onBack} className="icon-button md:hidden" aria-label="Back to conversations">
        <Icon name="back" />
      </button>
      <button type="button" onClick={onInfo} className="flex min-w-0 flex-1 items-center gap-3 rounded-lg p-1 text-left focus-visible:outline-2 focus-visible:outline-indigo-500">
        <Avatar id={other?.id ?? conversation.id} name={title} url={other?.avatarUrl ?? conversation.avatarUrl} online={other ? online : undefined} />
        <span className="min-w-0">
          <h1 className="flex items-center gap-1.5 truncate font-semibold" data-testid="conversation-heading">
            {title}
            {isMuted(conversation.mutedUntil) ? <Icon name="bellOff" label="Muted" className="h-4 w-4 text-slate-400" /> : null}
          </h1>
          <span className="block truncate text-xs text-slate-500 dark:text-slate-400" data-testid="conversation-subtitle">
            {subtitle}
          </span>
        </span>
      </button>
      <button type="button" onClick={onSearch} aria-pressed={searchOpen} className="icon-button" aria-label="Search messages" title="Search messages">
        <Icon name="search" />
      </button>
      <button type="button" onClick={onInfo} aria-pressed={infoOpen} className="icon-button" aria-label="Conversation info" title="Conversation info">
        <Icon name="info" />
      </button>
    </header>
  );
}
