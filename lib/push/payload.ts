// What a push says about a message (PushPayload in lib/protocol.ts). Pure: the recipient's
// settings decide whether the content shows at all.
import type { ConversationType, MessageType, PushPayload } from '../protocol';

/** A notification's preview is at most this many characters. */
export const PREVIEW_CHARS = 120;

const KIND_TEXT: Record<Exclude<MessageType, 'text'>, string> = {
  image: 'Sent a photo',
  file: 'Sent a file',
  voice: 'Sent a voice message',
  video: 'Sent a video',
  location: 'Shared a location',
};

/** One line of at most PREVIEW_CHARS characters (an ellipsis marks a cut); a caption-less attachment says what it is. */
export function previewOf(message: { content: string; messageType: MessageType }): string {
  const text = message.content.replace(/\s+/g, ' ').trim();
  if (!text) return message.messageType === 'text' ? '' : KIND_TEXT[message.messageType];
  const chars = [...text];
  return chars.length <= PREVIEW_CHARS ? text : `${chars.slice(0, PREVIEW_CHARS - 1).join('').trimEnd()}…`;
}

export type PayloadSource = {
  /** `threadRootId`: a reply shown only in its thread. */
  message: { id: string; seq: number; content: string; messageType: MessageType; createdAt: Date; threadRootId?: string | null };
  conversation: { id: string; type: ConversationType; name: string | null };
  sender: { id: string; name: string };
};

/** The payload for one recipient: the preview only when they show message content. */
export function buildPushPayload(source: PayloadSource, showPreview: boolean): PushPayload {
  const { message, conversation, sender } = source;
  return {
    kind: 'message',
    conversationId: conversation.id,
    conversationType: conversation.type,
    conversationName: conversation.type === 'group' ? (conversation.name ?? 'Group') : sender.name,
    messageId: message.id,
    seq: message.seq,
    senderId: sender.id,
    senderName: sender.name,
    preview: showPreview ? previewOf(message) : null,
    sentAt: message.createdAt.toISOString(),
    threadRootId: message.threadRootId ?? null,
    // A reply only in its thread is found from its top message.
    url: `/c/${conversation.id}?message=${message.threadRootId ?? message.id}`,
  };
}
