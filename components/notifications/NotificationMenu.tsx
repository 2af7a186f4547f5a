'use client';
// The bell in the sidebar's header: this browser's desktop notifications (on, off and how to turn
// them on, or blocked) and the notification sound.
import { useEffect, useId, useRef, useState } from 'react';
import { Icon } from '@/components/ui/Icon';
import { useDismiss } from '@/components/ui/useDismiss';
import { useNotificationPermission } from '@/lib/client/hooks/useNotificationPermission';
import { useNotificationPreferences } from '@/lib/client/notifications/preferences';

const PERMISSION_TEXT = {
  granted: 'Desktop notifications are on in this browser.',
  denied: 'Desktop notifications are blocked for this site: allow them in the browser’s site settings.',
  unsupported: 'This browser cannot show desktop notifications here (they need HTTPS).',
  default: 'Desktop notifications are off in this browser.',
  unknown: '',
} as const;

export function NotificationMenu() {
  const [open, setOpen] = useState(false);
  const { permission, request } = useNotificationPermission();
  const { sound, setSound, load } = useNotificationPreferences();
  const panel = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  useEffect(load, [load]);

  useDismiss(open, () => setOpen(false), { inside: [panel, button], escapeFocus: button });

  return (
    <div className="relative">
      <button
        ref={button}
        type="button"
        className="icon-button"
        aria-label="Notifications"
        title="Notifications"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
      >
        <Icon name="bell" />
      </button>
      {open ? (
        <div
          ref={panel}
          id={panelId}
          role="dialog"
          aria-label="Notification settings"
          className="absolute top-full right-0 z-30 mt-2 w-72 rounded-xl border border-slate-200 bg-white p-3 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          <p className="text-slate-700 dark:text-slate-300" data-testid="notification-permission" data-permission={permission}>
            {PERMISSION_TEXT[permission]}
          </p>
          {permission === 'default' ? (
            <button type="button" className="button-primary mt-2 px-3 py-1 text-sm" onClick={() => void request()}>
              Turn on desktop notifications
            </button>
          ) : null}
          <label className="mt-3 flex items-center justify-between gap-3 border-t border-slate-200 pt-3 dark:border-slate-700">
            <span>Play a sound for new messages</span>
            <input type="checkbox" className="h-4 w-4 accent-indigo-600" checked={sound} onChange={(e) => setSound(e.target.checked)} />
          </label>
        </div>
      ) : null}
    </div>
  );
}
