'use client';
// The chat screen: conversations on the left, the open one on the right; on narrow screens one
// pane at a time. Its SyncEngineProvider owns the live connection (lib/client/README.md); the
// screen keeps the tab title's unread count and the favicon's dot, and shows desktop notifications.
import { useMemo } from 'react';
import type { UserSummary } from '@/lib/protocol';
import { useChatNavigation } from '@/lib/client/hooks/useChatNavigation';
import { useConversation } from '@/lib/client/hooks/useConversations';
import { useDeliveryOnLoad } from '@/lib/client/hooks/useDeliveryOnLoad';
import { useDesktopNotifications } from '@/lib/client/hooks/useDesktopNotifications';
import { useDocumentTitle, useUnreadTotal } from '@/lib/client/hooks/useDocumentTitle';
import { useFaviconBadge } from '@/lib/client/hooks/useFaviconBadge';
import { usePushNotifications } from '@/lib/client/hooks/usePushNotifications';
import { useNotificationSettings } from '@/lib/client/hooks/useNotificationSettings';
import { useConnectionStatus } from '@/lib/client/stores/connection';
import { SyncEngineProvider } from '@/lib/client/sync-engine-provider';
import { ServerAdminProvider } from '@/lib/client/server-admin';
import { ConnectionBanner } from './ConnectionBanner';
import { ConversationView } from './conversation/ConversationView';
import { LiveAnnouncer } from './LiveAnnouncer';
import { Sidebar } from './sidebar/Sidebar';

function EmptyPane({ text }: { text: string }) {
  return (
    <div className="flex flex-1 flex-col items-center justify-center gap-3 p-6 text-center text-slate-500 dark:text-slate-400">
      <div aria-hidden className="flex h-14 w-14 items-center justify-center rounded-2xl bg-indigo-600 text-2xl font-bold text-white">
        P
      </div>
      <p>{text}</p>
    </div>
  );
}

function OpenConversation({ conversationId, me, onBack }: { conversationId: string; me: UserSummary; onBack: () => void }) {
  const { conversation, notFound } = useConversation(conversationId);
  if (conversation) return <ConversationView key={conversation.id} conversation={conversation} me={me} onBack={onBack} />;
  if (notFound) return <EmptyPane text="This conversation does not exist, or you are not in it." />;
  return <div className="flex-1" aria-busy="true" />;
}

/** `isAdmin`: the user is a server admin (currentUser().isAdmin); every page that shows the chat passes it. */
export function ChatApp({ me, isAdmin }: { me: UserSummary; isAdmin: boolean }) {
  return (
    <SyncEngineProvider key={me.id} me={me}>
      <ServerAdminProvider isAdmin={isAdmin}>
        <ChatScreen me={me} />
      </ServerAdminProvider>
    </SyncEngineProvider>
  );
}

function ChatScreen({ me }: { me: UserSummary }) {
  useDocumentTitle();
  useFaviconBadge(useUnreadTotal() > 0);
  useDeliveryOnLoad();
  const { activeId, open, close } = useChatNavigation();
  // My default level and previews, as the server holds them, decide the in-page notifications too.
  const { settings } = useNotificationSettings();
  const memberSettings = useMemo(
    () => ({ defaultLevel: settings.notificationLevel, previews: settings.notificationPreviews }),
    [settings.notificationLevel, settings.notificationPreviews],
  );
  useDesktopNotifications({ activeId, open, settings: memberSettings });
  usePushNotifications(activeId, open);
  const status = useConnectionStatus();

  return (
    <div className="flex h-dvh overflow-hidden" data-testid="chat-app" data-connection={status}>
      <Sidebar me={me} activeId={activeId} onOpen={open} className={activeId ? 'hidden md:flex' : 'flex'} />
      <main className={`min-w-0 flex-1 flex-col bg-white dark:bg-slate-950 ${activeId ? 'flex' : 'hidden md:flex'}`}>
        {activeId ? <OpenConversation conversationId={activeId} me={me} onBack={close} /> : <EmptyPane text="Select a conversation or start a new one." />}
      </main>
      <ConnectionBanner />
      <LiveAnnouncer />
    </div>
  );
}
