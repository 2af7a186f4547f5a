// What the message list draws, in order: day separators, and messages marked with whether they
// continue the previous sender's run. The server's messages come in seq order; my unsent ones
// have no seq yet and come after them, in their queue order (the order they will be stored in).
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
    // No place in the conversation until the server stores it (rows never order by it).
    seq: 0,
    conversationId: outgoing.conversationId,
    senderId: me.id,
    sender: me,
    content: outgoing.content,
    messageType: outgoing.messageType,
    replyTo: outgoing.replyTo,
    clientId: outgoing.clientId,
    attachment: outgoing.attachment,
    location: null,
    // The server resolves who is mentioned when it stores the message.
    mentionedUserIds: [],
    mentionsEveryone: null,
    createdAt: outgoing.createdAt,
    editedAt: null,
    deletedAt: null,
    system: null,
    removedByAdmin: false,
    reactions: [],
    threadRootId: outgoing.threadRootId ?? null,
    alsoInConversation: outgoing.alsoInConversation ?? false,
    thread: null,
  };
}

/** Whether a message (or my unsent one) shows in the conversation's timeline, not only in its thread. */
export function inTimeline(message: { threadRootId?: string | null; alsoInConversation?: boolean }): boolean {
  return !message.threadRootId || Boolean(message.alsoInConversation);
}

function sameRun(a: MessageDto, b: MessageDto): boolean {
  // A timeline note stands alone: it neither continues a run nor starts one.
  if (a.system || b.system) return false;
  return a.senderId === b.senderId && dayKey(a.createdAt) === dayKey(b.createdAt) && Math.abs(Date.parse(b.createdAt) - Date.parse(a.createdAt)) < GROUP_GAP_MS;
}

export function buildMessageRows(messages: MessageDto[], outgoing: OutgoingMessage[], me: UserSummary): MessageRow[] {
  const held = new Set(messages.filter((m) => m.senderId === me.id).map((m) => m.clientId));
  // Unsent ones come after everything the server has, in queue order: that is where they will land.
  const local = outgoing.filter((o) => !held.has(o.clientId)).sort((a, b) => a.order - b.order);
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
