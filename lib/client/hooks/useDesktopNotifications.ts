'use client';
// Starts the desktop notifier for the chat screen: this tab joins the user's tabs
// (TabCoordinator), tells them which conversation it shows while the user can see it (the page
// visible and focused), and hands every live arrival to the notifier. A click opens the
// conversation and jumps to the message.
import { useEffect, useRef } from 'react';
import { DEFAULT_MEMBER_SETTINGS, DesktopNotifier, type MemberNotificationSettings } from '../notifications/desktop-notifier';
import { useNotificationPreferences } from '../notifications/preferences';
import { TabCoordinator } from '../notifications/tab-coordinator';
import { useJumpStore } from '../stores/jump';
import { useSyncEngine } from '../sync-engine-provider';

/** The conversation open here while the user can see it; null when hidden, unfocused or none. */
function viewedConversation(activeId: string | null): string | null {
  return activeId && document.visibilityState === 'visible' && document.hasFocus() ? activeId : null;
}

export function useDesktopNotifications({
  activeId,
  open,
  settings = DEFAULT_MEMBER_SETTINGS,
}: {
  activeId: string | null;
  open: (conversationId: string) => void;
  settings?: MemberNotificationSettings;
}): void {
  const engine = useSyncEngine();
  const tabs = useRef<TabCoordinator | null>(null);
  // Read at arrival time, so the effect below need not restart when they change.
  const latest = useRef({ activeId, open, settings });
  useEffect(() => {
    latest.current = { activeId, open, settings };
  });

  useEffect(() => {
    useNotificationPreferences.getState().load();
    const coordinator = new TabCoordinator(engine.me.id);
    tabs.current = coordinator;
    coordinator.start();
    const notifier = new DesktopNotifier({
      tabs: coordinator,
      meId: engine.me.id,
      conversation: (id) => engine.cache.conversations()?.find((c) => c.id === id),
      settings: () => latest.current.settings,
      soundOn: () => useNotificationPreferences.getState().sound,
      open: (conversationId, messageId) => {
        latest.current.open(conversationId);
        useJumpStore.getState().jumpTo(conversationId, messageId);
      },
    });
    const stopListening = engine.onArrival((message, ref) => notifier.arrived(message, ref));

    const report = () => coordinator.setViewing(viewedConversation(latest.current.activeId));
    report();
    document.addEventListener('visibilitychange', report);
    window.addEventListener('focus', report);
    window.addEventListener('blur', report);
    return () => {
      stopListening();
      document.removeEventListener('visibilitychange', report);
      window.removeEventListener('focus', report);
      window.removeEventListener('blur', report);
      coordinator.stop();
      tabs.current = null;
    };
  }, [engine]);

  // Another conversation opened here.
  useEffect(() => {
    tabs.current?.setViewing(viewedConversation(activeId));
  }, [activeId]);
}
