'use client';
// The browser's desktop-notification permission as React state, and the one way to ask for it
// (from a click in the app, never on page load: browsers ignore or penalise unprompted asks).
import { useCallback, useSyncExternalStore } from 'react';

export type NotificationPermissionState = NotificationPermission | 'unsupported' | 'unknown';

function current(): NotificationPermissionState {
  // Notifications need a secure context (HTTPS or localhost) and the API.
  if (!('Notification' in window) || !window.isSecureContext) return 'unsupported';
  return Notification.permission;
}

/** Told after an answer to our own question; the browser's site settings tell `change`. */
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  let status: PermissionStatus | null = null;
  let stopped = false;
  navigator.permissions
    ?.query({ name: 'notifications' })
    .then((s) => {
      if (stopped) return;
      status = s;
      s.addEventListener('change', listener);
    })
    .catch(() => {});
  return () => {
    stopped = true;
    listeners.delete(listener);
    status?.removeEventListener('change', listener);
  };
}

export function useNotificationPermission(): { permission: NotificationPermissionState; request: () => Promise<void> } {
  // 'unknown' on the server and while hydrating, so both render the same.
  const permission = useSyncExternalStore(subscribe, current, () => 'unknown' as const);
  const request = useCallback(async () => {
    if (current() === 'unsupported') return;
    try {
      await Notification.requestPermission();
    } finally {
      for (const listener of listeners) listener();
    }
  }, []);
  return { permission, request };
}
