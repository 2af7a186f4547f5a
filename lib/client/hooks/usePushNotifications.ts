'use client';
// The chat screen's side of Web Push: registers the service worker, keeps this browser
// subscribed while notifications are allowed, and opens the conversation at the message when a
// notification is clicked (the service worker posts it here, or opens /c/<id>?message=<id>).
import { useEffect } from 'react';
import { keepPushSubscribed, registerServiceWorker } from '../push';
import { useJumpStore } from '../stores/jump';

const warn = (error: unknown) => console.warn('push: could not subscribe this browser', error);

export function usePushNotifications(activeId: string | null, open: (conversationId: string) => void): void {
  // A notification opened the app at /c/<id>?message=<id>: show that message, then tidy the address.
  useEffect(() => {
    const messageId = new URLSearchParams(window.location.search).get('message');
    if (!activeId || !messageId) return;
    useJumpStore.getState().jumpTo(activeId, messageId);
    window.history.replaceState(window.history.state, '', window.location.pathname);
  }, [activeId]);

  useEffect(() => {
    if (!('serviceWorker' in navigator)) return;
    registerServiceWorker()?.catch((error: unknown) => console.warn('service worker not registered', error));
    void keepPushSubscribed().catch(warn);

    const onMessage = (event: MessageEvent) => {
      const data = event.data as { type?: unknown; conversationId?: unknown; messageId?: unknown } | null;
      if (data?.type !== 'open-conversation' || typeof data.conversationId !== 'string') return;
      open(data.conversationId);
      if (typeof data.messageId === 'string') useJumpStore.getState().jumpTo(data.conversationId, data.messageId);
    };
    navigator.serviceWorker.addEventListener('message', onMessage);

    // Allowed later (the in-app prompt): subscribe then.
    let permission: PermissionStatus | undefined;
    const onPermission = () => void keepPushSubscribed().catch(warn);
    navigator.permissions
      ?.query({ name: 'notifications' })
      .then((status) => {
        permission = status;
        status.addEventListener('change', onPermission);
      })
      .catch(() => undefined);

    return () => {
      navigator.serviceWorker.removeEventListener('message', onMessage);
      permission?.removeEventListener('change', onPermission);
    };
  }, [open]);
}
