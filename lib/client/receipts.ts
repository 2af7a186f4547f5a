// What my own message's ticks say, from the other participants' receipt cursors.
import type { ConversationDto, MessageDto } from '../protocol';
import { cursorCovers } from './message-order';

export type ReceiptStatus = 'sent' | 'delivered' | 'read';

export type Receipt = {
  status: ReceiptStatus;
  /** Names of the others who have read it. */
  readBy: string[];
  /** How many others could read it. */
  audience: number;
};

type Cursors = { user: { id: string; name: string }; lastReadSeq: number | null; lastDeliveredSeq: number | null };

/**
 * sent: on the server; delivered: reached every other participant's device; read: every other
 * participant has read it. Counted against the members at the time: someone who joined after the
 * message is not counted, and someone who has left since still is (with their cursors as they left).
 */
export function receiptOf(message: Pick<MessageDto, 'seq' | 'createdAt'>, conversation: ConversationDto, meId: string): Receipt {
  const current: Cursors[] = conversation.participants.filter((p) => p.user.id !== meId && p.joinedAt <= message.createdAt);
  const former: Cursors[] = (conversation.formerMembers ?? []).filter(
    (f) => f.user.id !== meId && f.joinedAt <= message.createdAt && f.leftSeq > message.seq,
  );
  const others = [...current, ...former];
  const readers = others.filter((p) => cursorCovers(p.lastReadSeq, message.seq));
  const delivered = others.filter((p) => cursorCovers(p.lastDeliveredSeq, message.seq) || cursorCovers(p.lastReadSeq, message.seq));
  const everyone = others.length > 0;
  const status: ReceiptStatus =
    everyone && readers.length === others.length ? 'read' : everyone && delivered.length === others.length ? 'delivered' : 'sent';
  return { status, readBy: readers.map((p) => p.user.name), audience: others.length };
}
