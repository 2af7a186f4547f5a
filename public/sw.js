// The app's service worker: shows Web Push notifications (the server pushes only to users with
// no visible tab; see lib/push/) and opens the conversation at the message on click. Plain
// JavaScript served as is from public/, so it has no build step and no imports.
/* global self, URL */
'use strict';

const ICON = '/icons/icon-192.png';

self.addEventListener('install', () => {
  // A new version takes over at once: it only shows notifications, nothing to migrate.
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

/** The title and options of a notification for a pushed message (PushPayload in lib/protocol.ts). */
function notificationFor(payload) {
  const group = payload.conversationType === 'group';
  const title = group ? `${payload.senderName} in ${payload.conversationName}` : payload.senderName;
  return {
    title,
    options: {
      body: payload.preview ?? 'New message',
      // One notification per conversation: a newer message replaces it, and still alerts.
      tag: `conversation:${payload.conversationId}`,
      renotify: true,
      icon: ICON,
      badge: ICON,
      timestamp: Date.parse(payload.sentAt) || Date.now(),
      data: { url: payload.url, conversationId: payload.conversationId, messageId: payload.messageId },
    },
  };
}

function readPayload(event) {
  try {
    const payload = event.data ? event.data.json() : null;
    return payload && payload.kind === 'message' && typeof payload.conversationId === 'string' ? payload : null;
  } catch {
    return null;
  }
}

self.addEventListener('push', (event) => {
  const payload = readPayload(event);
  // Every push must show something (browsers require it of userVisibleOnly subscriptions).
  const { title, options } = payload ? notificationFor(payload) : { title: 'New message', options: { icon: ICON, data: { url: '/' } } };
  event.waitUntil(self.registration.showNotification(title, options));
});

/**
 * Opens the app at a notification's message: an open window of the app switches conversation in
 * place (lib/client/hooks/usePushNotifications.ts listens) and comes to the front; with none, a
 * new one opens at /c/<id>?message=<id>.
 */
async function openConversation(data) {
  const target = new URL(typeof data.url === 'string' ? data.url : '/', self.location.origin);
  if (target.origin !== self.location.origin) return;
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
  if (!open) {
    await self.clients.openWindow(target.href);
    return;
  }
  open.postMessage({ type: 'open-conversation', conversationId: data.conversationId, messageId: data.messageId });
  // Focusing needs the click's permission; without it the window still switched.
  await open.focus().catch(() => undefined);
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(openConversation(event.notification.data || {}));
});
