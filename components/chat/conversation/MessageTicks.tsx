// The delivery state of my own message: a clock while sending, ✓ sent, ✓✓ delivered, ✓✓ in
// colour once read; in groups also "Read by 2 of 3", naming the readers on hover.
import type { Receipt } from '@/lib/client/receipts';

export type TickStatus = 'pending' | 'failed' | Receipt['status'];

const LABELS: Record<TickStatus, string> = { pending: 'Sending', failed: 'Not sent', sent: 'Sent', delivered: 'Delivered', read: 'Read' };

function Ticks({ double, className }: { double: boolean; className: string }) {
  return (
    <svg viewBox="0 0 20 12" className={`h-3 w-[18px] ${className}`} fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      <path d={double ? 'M1 6.5l3.5 3.5L11 3' : 'M4 6.5l3.5 3.5L14 3'} />
      {double ? <path d="M8.5 10l.5.5L16 3" /> : null}
    </svg>
  );
}

export function MessageTicks({ status, receipt, isGroup }: { status: TickStatus; receipt: Receipt | null; isGroup: boolean }) {
  const readCount = receipt?.readBy.length ?? 0;
  const groupLine = isGroup && receipt && readCount > 0 ? `Read by ${readCount} of ${receipt.audience}` : null;
  return (
    <span
      data-testid="message-status"
      data-status={status}
      className="inline-flex items-center gap-1"
      title={groupLine && receipt ? `Read by ${receipt.readBy.join(', ')}` : LABELS[status]}
    >
      <span className="sr-only">{LABELS[status]}</span>
      {status === 'pending' ? (
        <svg viewBox="0 0 12 12" className="h-3 w-3" fill="none" stroke="currentColor" strokeWidth={1.5} aria-hidden>
          <circle cx="6" cy="6" r="5" />
          <path d="M6 3v3l2 1" strokeLinecap="round" />
        </svg>
      ) : status === 'failed' ? null : (
        <Ticks double={status !== 'sent'} className={status === 'read' ? 'text-sky-500 dark:text-sky-400' : ''} />
      )}
      {groupLine ? <span data-testid="read-by">{groupLine}</span> : null}
    </span>
  );
}
