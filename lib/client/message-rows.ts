// What the message list draws, in order: day separators, and messages (the server's and my
// pending ones) marked with whether they continue the previous sender's run.
import type { MessageDto, UserSummary } from '../protocol';
import { dayKey } from './format';
import type { OutgoingMessage } from './stores/outbox';

/** Messages of one sender this close together read as one block. */
const GROUP_GAP_MS = 5 * 60 * 1000;

export type MessageRow =
  | { kind: 'day'; key: string; at: string }
  | {
      kind: 'message';
      key: string;
      message: MessageDto;
      /** Set for my messages the server has not acknowledged (or refused). */
      outgoing: OutgoingMessage | null;
      /** Same sender as the message above, shortly before: no name or avatar repeated. */
      continuesGroup: boolean;
      /** Same sender as the message below: the avatar goes on the last of the run. */
      groupContinues: boolean;
    };

/** An optimistic copy shaped like a server message, so one component draws both. */
export function outgoingAsMessage(outgoing: OutgoingMessage, me: UserSummary): MessageDto {
  return {
    id: `local:${outgoing.clientId}`,
    conversationId: outgoing.conversationId,
    senderId: me.id,
    sender: me,
    content: outgoing.content,
    messageType: outgoing.messageType,
    replyTo: outgoing.replyTo,
    clientId: outgoing.clientId,
    attachment: outgoing.attachment,
    location: null,
    createdAt: outgoing.createdAt,
    editedAt: null,
    deletedAt: null,
  };
}

function sameRun(a: MessageDto, b: MessageDto): boolean {
  return a.senderId === b.senderId && dayKey(a.createdAt) === dayKey(b.createdAt) && Math.abs(Date.parse(b.createdAt) - Date.parse(a.createdAt)) < GROUP_GAP_MS;
}

export function buildMessageRows(messages: MessageDto[], outgoing: OutgoingMessage[], me: UserSummary): MessageRow[] {
  const held = new Set(messages.map((m) => m.clientId).filter(Boolean));
  // Pending ones come after everything the server has: they are the newest by definition.
  const local = outgoing.filter((o) => !held.has(o.clientId)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const all: { message: MessageDto; outgoing: OutgoingMessage | null }[] = [
    ...messages.map((message) => ({ message, outgoing: null })),
    ...local.map((o) => ({ message: outgoingAsMessage(o, me), outgoing: o })),
  ];

  const rows: MessageRow[] = [];
  all.forEach(({ message, outgoing: out }, i) => {
    const previous = all[i - 1]?.message;
    const next = all[i + 1]?.message;
    if (!previous || dayKey(previous.createdAt) !== dayKey(message.createdAt)) {
      rows.push({ kind: 'day', key: `day:${dayKey(message.createdAt)}`, at: message.createdAt });
    }
    rows.push({
      kind: 'message',
      // Keyed by clientId when there is one, so a pending message becomes the sent one in place.
      key: message.clientId ? `${message.senderId}:${message.clientId}` : message.id,
      message,
      outgoing: out,
      continuesGroup: Boolean(previous && sameRun(previous, message)),
      groupContinues: Boolean(next && sameRun(message, next)),
    });
  });
  return rows;
}
