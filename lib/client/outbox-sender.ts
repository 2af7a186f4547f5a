// Sends my messages in the order I wrote them. Each conversation's outbox is a queue: one message
// at a time, the next only after the server acknowledged the previous one, so a flush after a
// reconnect can never reorder (the server stores what one socket sends in the order it arrives,
// and there is only ever one on its way). Every message carries a clientId, so sending one again
// (after a lost connection) can never make a second copy.
//
// What happens to the head of a queue:
// - acknowledged: the server's copy goes into the cache, the entry leaves the outbox, next one;
// - refused (the server said no): the entry is marked failed, for the user to Retry or Discard,
//   and the rest of the queue goes on: one bad message must not hold back the others. A retry
//   joins the back of the queue;
// - refused for going too fast (rate_limited): a pause, then the same entry again, order kept;
// - the connection went: the entry stays first in line, and the reconnect's flush sends it again;
// - no answer while connected: marked failed ("Not delivered."), the rest goes on.
// A file is uploaded first (while it is the head), with progress and a cancel; its message
// follows with the attachment id. An upload that cannot succeed again (too large, a type not
// allowed) fails without Retry.
import type { AttachmentDto, MessageType, ReplyPreviewDto } from '../protocol';
import { UploadCancelled, UploadError, type UploadCall, type UploadMeta } from './uploads';
import { useUploadsStore } from './stores/uploads';
import type { ChatCache } from './chat-cache';
import { newClientId } from './client-id';
import { emitWithAck, type ChatSocket } from './socket';
import { inQueueOrder, useOutboxStore } from './stores/outbox';

const SEND_TIMEOUT_MS = 10_000;
const RATE_LIMITED_PAUSE_MS = 2_000;

export type Draft = {
  conversationId: string;
  content: string;
  replyTo: ReplyPreviewDto | null;
  /** A reply in this thread, optionally also shown in the timeline. */
  threadRootId?: string | null;
  alsoInConversation?: boolean;
};

/** A file to send: a chosen, dropped or pasted file, or a voice recording (with its meta). */
export type FileDraft = Draft & { file: Blob; fileName: string; meta?: UploadMeta; voice?: boolean };

export type Upload = (file: Blob, fileName: string, meta: UploadMeta, call: UploadCall) => Promise<AttachmentDto>;

type HeldFile = { file: Blob; fileName: string; meta: UploadMeta };

type Outcome = 'sent' | 'failed' | 'gone' | 'lost' | 'slow-down';

function messageTypeOf(file: Blob, voice: boolean): MessageType {
  if (voice) return 'voice';
  if (file.type.startsWith('image/')) return 'image';
  if (file.type.startsWith('video/')) return 'video';
  return 'file';
}

const outbox = () => useOutboxStore.getState();

export class OutboxSender {
  /** Conversations whose queue is being sent right now (one loop each). */
  private readonly sending = new Set<string>();
  /** Files not uploaded yet, kept to retry the upload. */
  private readonly files = new Map<string, HeldFile>();
  /** Uploads under way, to cancel. */
  private readonly uploads = new Map<string, AbortController>();

  constructor(
    private readonly socket: () => ChatSocket | null,
    private readonly cache: ChatCache,
    private readonly upload: Upload,
    private readonly pause: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** Queues a text message; returns its clientId. */
  send(draft: Draft): string {
    return this.enqueue(draft, null);
  }

  sendFile({ file, fileName, meta, voice, ...draft }: FileDraft): string {
    return this.enqueue(draft, { file, fileName, meta: meta ?? {} }, Boolean(voice));
  }

  /** Stops an upload under way (or waiting) and drops its message. */
  cancelUpload(clientId: string): void {
    this.uploads.get(clientId)?.abort();
    this.discard(clientId);
  }

  retry(clientId: string): void {
    const entry = outbox().messages[clientId];
    if (!entry) return;
    outbox().requeue(clientId);
    void this.drain(entry.conversationId);
  }

  discard(clientId: string): void {
    this.files.delete(clientId);
    useUploadsStore.getState().forget(clientId);
    outbox().remove(clientId);
  }

  /** Sends what waits, every conversation's queue in its order (on every connect). */
  flush(): void {
    const conversations = new Set(inQueueOrder(outbox().messages).filter((m) => m.status === 'pending').map((m) => m.conversationId));
    for (const conversationId of conversations) void this.drain(conversationId);
  }

  /** Forgets the files held for upload (the entries themselves are the store's). */
  forgetFiles(): void {
    this.files.clear();
  }

  private enqueue(draft: Draft, held: HeldFile | null, voice = false): string {
    const clientId = newClientId();
    if (held) {
      this.files.set(clientId, held);
      // Pictures and recordings show from the device while they upload.
      if (/^(image|audio)\//.test(held.file.type)) useUploadsStore.getState().setPreview(clientId, URL.createObjectURL(held.file));
    }
    outbox().add({
      clientId,
      conversationId: draft.conversationId,
      content: draft.content,
      messageType: held ? messageTypeOf(held.file, voice) : 'text',
      replyTo: draft.replyTo,
      threadRootId: draft.threadRootId ?? null,
      alsoInConversation: Boolean(draft.threadRootId && draft.alsoInConversation),
      attachment: null,
      fileName: held?.fileName ?? null,
      ...(held?.meta.durationSec !== undefined ? { durationSec: held.meta.durationSec } : {}),
      createdAt: new Date().toISOString(),
      status: 'pending',
    });
    void this.drain(draft.conversationId);
    return clientId;
  }

  /** Sends one conversation's pending entries, oldest first, one at a time, while connected. */
  private async drain(conversationId: string): Promise<void> {
    if (this.sending.has(conversationId)) return; // the running loop will reach the new entry
    this.sending.add(conversationId);
    try {
      for (;;) {
        if (!this.socket()?.connected) return; // the next connect flushes
        const head = inQueueOrder(outbox().messages, conversationId).find((m) => m.status === 'pending');
        if (!head) return;
        const outcome = await this.deliver(head.clientId);
        if (outcome === 'lost') return;
        if (outcome === 'slow-down') await this.pause(RATE_LIMITED_PAUSE_MS);
      }
    } finally {
      this.sending.delete(conversationId);
    }
  }

  private async deliver(clientId: string): Promise<Outcome> {
    const held = this.files.get(clientId);
    if (held && !outbox().messages[clientId]?.attachment) {
      const controller = new AbortController();
      this.uploads.set(clientId, controller);
      const uploads = useUploadsStore.getState();
      try {
        const attachment = await this.upload(held.file, held.fileName, held.meta, {
          signal: controller.signal,
          onProgress: (progress) => uploads.setProgress(clientId, progress),
        });
        outbox().setAttachment(clientId, attachment);
        this.files.delete(clientId);
      } catch (error) {
        if (error instanceof UploadCancelled) return 'gone';
        const retryable = error instanceof UploadError ? error.retryable : true;
        outbox().setStatus(clientId, 'failed', error instanceof Error ? error.message : 'The upload failed.', retryable);
        return 'failed';
      } finally {
        this.uploads.delete(clientId);
      }
    }
    const entry = outbox().messages[clientId];
    if (!entry || entry.status !== 'pending') return 'gone'; // discarded (or already answered) meanwhile
    const socket = this.socket();
    if (!socket?.connected) return 'lost';
    try {
      const ack = await emitWithAck(
        socket,
        'sendMessage',
        {
          conversationId: entry.conversationId,
          content: entry.content,
          messageType: entry.messageType,
          clientId,
          ...(entry.replyTo ? { replyTo: entry.replyTo.id } : {}),
          ...(entry.threadRootId ? { threadRootId: entry.threadRootId, alsoInConversation: Boolean(entry.alsoInConversation) } : {}),
          ...(entry.attachment ? { attachmentId: entry.attachment.id } : {}),
        },
        SEND_TIMEOUT_MS,
      );
      if (ack.ok) {
        this.cache.newMessage(ack.message);
        outbox().remove(clientId);
        return 'sent';
      }
      if (ack.error.code === 'rate_limited') return 'slow-down';
      outbox().setStatus(clientId, 'failed', ack.error.message);
      return 'failed';
    } catch {
      // Socket.IO rejects the ack at once when the connection drops: sent again on reconnect.
      if (!socket.connected) return 'lost';
      outbox().setStatus(clientId, 'failed', 'Not delivered.');
      return 'failed';
    }
  }
}
