'use client';
// The account dialog's notification settings: push on this device, the default level for
// conversations without their own, and whether notifications show message content.
import { useEffect, useState } from 'react';
import { NOTIFICATION_LEVELS, type NotificationLevel } from '@/lib/chat/notification-policy';
import { useNotificationSettings, useUpdateNotificationSettings } from '@/lib/client/hooks/useNotificationSettings';
import { NOTIFICATION_LEVEL_LABELS } from '@/lib/client/notification-levels';
import { disablePush, enablePush, pushState, type PushState } from '@/lib/client/push';

const PUSH_TEXT: Record<PushState, string> = {
  unsupported: 'This browser cannot receive push notifications here (they need HTTPS and a browser that supports them).',
  denied: 'Notifications are blocked for this site: allow them in the browser’s site settings to turn push on.',
  off: 'Get notified of new messages while this app is closed or in the background.',
  on: 'On: new messages reach this device while the app is closed or in the background.',
};

function PushOnThisDevice() {
  const [state, setState] = useState<PushState | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void pushState()
      .then((s) => live && setState(s))
      .catch(() => live && setState('off'));
    return () => {
      live = false;
    };
  }, []);

  async function toggle() {
    setPending(true);
    setError(null);
    try {
      if (state === 'on') {
        await disablePush();
        setState('off');
      } else {
        setState(await enablePush());
      }
    } catch {
      setError('Push notifications could not be turned on: the browser’s push service did not answer.');
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="space-y-2">
      <div className="flex items-center justify-between gap-3">
        <span className="text-sm font-medium">Push notifications on this device</span>
        {state === 'on' || state === 'off' ? (
          <button type="button" className={state === 'on' ? 'button-secondary' : 'button-primary'} disabled={pending} onClick={() => void toggle()}>
            {state === 'on' ? 'Turn off' : 'Turn on'}
          </button>
        ) : null}
      </div>
      <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="push-state" data-state={state ?? 'loading'}>
        {state ? PUSH_TEXT[state] : '…'}
      </p>
      {error ? (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/50 dark:text-red-300">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function NotificationSettings() {
  const { settings, loaded } = useNotificationSettings();
  const update = useUpdateNotificationSettings();

  return (
    <section className="space-y-4" aria-labelledby="notifications-title">
      <h3 id="notifications-title" className="text-sm font-semibold">
        Notifications
      </h3>
      <PushOnThisDevice />
      <div>
        <label htmlFor="default-notification-level" className="mb-1 block text-sm font-medium">
          Notify me by default about
        </label>
        <select
          id="default-notification-level"
          className="text-input"
          disabled={!loaded}
          value={settings.notificationLevel}
          onChange={(e) => update.mutate({ notificationLevel: e.target.value as NotificationLevel })}
        >
          {NOTIFICATION_LEVELS.map((level) => (
            <option key={level} value={level}>
              {NOTIFICATION_LEVEL_LABELS[level]}
            </option>
          ))}
        </select>
        <p className="mt-1 text-xs text-slate-500">Each conversation can have its own level in its info panel.</p>
      </div>
      <label className="flex items-start gap-2 text-sm">
        <input
          type="checkbox"
          className="mt-0.5"
          disabled={!loaded}
          checked={!settings.notificationPreviews}
          onChange={(e) => update.mutate({ notificationPreviews: !e.target.checked })}
        />
        <span>
          Hide message content in notifications
          <span className="block text-xs text-slate-500">They then say who wrote where, never what.</span>
        </span>
      </label>
      {update.isError ? (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/50 dark:text-red-300">
          {update.error instanceof Error ? update.error.message : 'That did not work.'}
        </p>
      ) : null}
    </section>
  );
}
