// Sending with an optimistic copy: the message shows at once as pending, is sent with a clientId
// (so a retry can never duplicate it), and is resent after a reconnect until the server answers.
// A refusal marks it failed, with the reason, for the user to retry or discard. A file is
// uploaded first; its message is sent once the upload has an attachment id.
import type { QueryClient } from '@tanstack/react-query';
import type { MessageType, ReplyPreviewDto, UserSummary } from '../protocol';
import { api } from './api';
import { cacheNewMessage } from './chat-cache';
import { newClientId } from './client-id';
import { AckTimeoutError, emitWithAck, type ChatSocket } from './socket';
import { useOutboxStore } from './stores/outbox';

const SEND_TIMEOUT_MS = 10_000;

type Draft = { conversationId: string; content: string; replyTo: ReplyPreviewDto | null };

export type OutboxSender = {
  send: (input: Draft) => string;
  sendFile: (input: Draft & { file: File }) => string;
  retry: (clientId: string) => void;
  discard: (clientId: string) => void;
  /** Resends everything still pending (after a reconnect). */
  flush: () => void;
};

function messageTypeOf(file: File): MessageType {
  if (file.type.startsWith('image/')) return 'image';
  if (file.type.startsWith('video/')) return 'video';
  return 'file';
}

export function createOutboxSender(socket: ChatSocket, qc: QueryClient, me: UserSummary): OutboxSender {
  const inFlight = new Set<string>();
  /** Files not uploaded yet, kept to retry the upload. */
  const files = new Map<string, File>();
  const outbox = () => useOutboxStore.getState();

  async function upload(clientId: string, file: File): Promise<boolean> {
    try {
      outbox().setAttachment(clientId, await api.upload(file));
      files.delete(clientId);
      return true;
    } catch (error) {
      outbox().setStatus(clientId, 'failed', error instanceof Error ? error.message : 'The upload failed.');
      return false;
    }
  }

  async function deliver(clientId: string): Promise<void> {
    // Offline: stays pending; flush() sends it once the socket is back.
    if (!outbox().messages[clientId] || inFlight.has(clientId) || !socket.connected) return;
    inFlight.add(clientId);
    try {
      const file = files.get(clientId);
      if (file && !(await upload(clientId, file))) return;
      const pending = outbox().messages[clientId];
      if (!pending) return; // discarded meanwhile
      const ack = await emitWithAck(
        socket,
        'sendMessage',
        {
          conversationId: pending.conversationId,
          content: pending.content,
          messageType: pending.messageType,
          clientId,
          ...(pending.replyTo ? { replyTo: pending.replyTo.id } : {}),
          ...(pending.attachment ? { attachmentId: pending.attachment.id } : {}),
        },
        SEND_TIMEOUT_MS,
      );
      if (ack.ok) {
        cacheNewMessage(qc, ack.message, me.id);
        outbox().remove(clientId);
      } else {
        outbox().setStatus(clientId, 'failed', ack.error.message);
      }
    } catch (error) {
      // Lost with the connection: the reconnect resends it. Connected but unanswered: let the user decide.
      if (error instanceof AckTimeoutError && socket.connected) outbox().setStatus(clientId, 'failed', 'Not delivered.');
    } finally {
      inFlight.delete(clientId);
    }
  }

  function enqueue(draft: Draft, file: File | null): string {
    const clientId = newClientId();
    if (file) files.set(clientId, file);
    outbox().add({
      clientId,
      conversationId: draft.conversationId,
      content: draft.content,
      messageType: file ? messageTypeOf(file) : 'text',
      replyTo: draft.replyTo,
      attachment: null,
      fileName: file?.name ?? null,
      createdAt: new Date().toISOString(),
      status: 'pending',
    });
    void deliver(clientId);
    return clientId;
  }

  return {
    send: (draft) => enqueue(draft, null),
    sendFile: ({ file, ...draft }) => enqueue(draft, file),
    retry(clientId) {
      outbox().setStatus(clientId, 'pending');
      void deliver(clientId);
    },
    discard(clientId) {
      files.delete(clientId);
      outbox().remove(clientId);
    },
    flush() {
      for (const message of Object.values(outbox().messages)) {
        if (message.status === 'pending') void deliver(message.clientId);
      }
    },
  };
}
