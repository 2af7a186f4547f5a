'use client';
// A polite live region: screen readers hear incoming messages without losing their place.
import { useAnnouncerStore } from '@/lib/client/stores/announcer';

export function LiveAnnouncer() {
  const text = useAnnouncerStore((s) => s.text);
  const seq = useAnnouncerStore((s) => s.seq);
  return (
    <div aria-live="polite" aria-atomic="true" className="sr-only" data-testid="live-announcer">
      <span key={seq}>{text ? `New message from ${text}` : ''}</span>
    </div>
  );
}
