'use client';
// Says when the chat is not live: connecting, offline, or reconnecting. Overlays the top edge
// instead of pushing content down, so coming and going never shifts the layout.
import { useEffect, useState } from 'react';
import { useConnectionStatus, type ConnectionStatus } from '@/lib/client/stores/connection';

const TEXT: Record<Exclude<ConnectionStatus, 'online'>, string> = {
  connecting: 'Connecting…',
  reconnecting: 'Connection lost. Reconnecting…',
  offline: 'You are offline. Messages will be sent when you are back.',
};

/** A first connection normally takes a moment; say "Connecting…" only if it takes longer. */
const CONNECTING_GRACE_MS = 1500;

export function ConnectionBanner() {
  const status = useConnectionStatus();
  const [graceOver, setGraceOver] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setGraceOver(true), CONNECTING_GRACE_MS);
    return () => clearTimeout(timer);
  }, []);

  const visible = status !== 'online' && (status !== 'connecting' || graceOver);
  return (
    <div role="status" aria-live="polite" className="pointer-events-none fixed inset-x-0 top-0 z-50 flex justify-center">
      {visible ? (
        <span
          data-testid="connection-banner"
          data-status={status}
          className={`mt-2 rounded-full px-4 py-1.5 text-sm font-medium shadow-lg ${
            status === 'offline' ? 'bg-slate-800 text-white dark:bg-slate-200 dark:text-slate-900' : 'bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-50'
          }`}
        >
          {TEXT[status as Exclude<ConnectionStatus, 'online'>]}
        </span>
      ) : null}
    </div>
  );
}
