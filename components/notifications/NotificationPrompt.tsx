'use client';
// Asks, inside the app, whether to turn desktop notifications on: shown until the user answers
// (the browser's own question comes only after "Turn on"), or says "Not now" (remembered in this
// browser; the bell menu can still turn them on).
import { useEffect } from 'react';
import { Icon } from '@/components/ui/Icon';
import { useNotificationPermission } from '@/lib/client/hooks/useNotificationPermission';
import { useNotificationPreferences } from '@/lib/client/notifications/preferences';

export function NotificationPrompt() {
  const { permission, request } = useNotificationPermission();
  const { loaded, promptDismissed, load, dismissPrompt } = useNotificationPreferences();
  useEffect(load, [load]);
  if (!loaded || promptDismissed || permission !== 'default') return null;

  return (
    <div
      role="region"
      aria-label="Desktop notifications"
      data-testid="notification-prompt"
      className="absolute inset-x-3 bottom-3 z-20 flex items-start gap-3 rounded-xl border border-indigo-200 bg-indigo-50 p-3 text-sm shadow-lg dark:border-indigo-900 dark:bg-indigo-950"
    >
      <Icon name="bell" className="mt-0.5 h-5 w-5 shrink-0 text-indigo-600 dark:text-indigo-400" />
      <div className="min-w-0 flex-1">
        <p className="font-medium">Get notified of new messages</p>
        <p className="mt-0.5 text-slate-600 dark:text-slate-400">See a desktop notification when a message arrives while you are elsewhere.</p>
        <div className="mt-2 flex gap-2">
          <button type="button" className="button-primary px-3 py-1 text-sm" onClick={() => void request()}>
            Turn on
          </button>
          <button type="button" className="rounded-md px-3 py-1 text-sm text-slate-600 hover:bg-indigo-100 dark:text-slate-300 dark:hover:bg-indigo-900/60" onClick={dismissPrompt}>
            Not now
          </button>
        </div>
      </div>
      <button type="button" className="icon-button h-7 w-7" aria-label="Dismiss" onClick={dismissPrompt}>
        <Icon name="close" className="h-4 w-4" />
      </button>
    </div>
  );
}
