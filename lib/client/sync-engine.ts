// The one owner of the browser's sync with the server. It owns the `/chat` socket and its
// lifecycle (connect, lost, offline and back, session gone), the ordered outbox, receipts, the
// catch-up after every connect, and the intake of live events; it is the only code that writes
// server data into the React Query cache (through ChatCache). React reaches it through
// SyncEngineProvider / useSyncEngine(); zustand holds only plain state it publishes (connection
// status, presence, typing, outbox entries).
import type { QueryClient } from '@tanstack/react-query';
import type { UserSummary } from '../protocol';
import { api as defaultApi, type Api } from './api';
import { catchUp } from './catch-up';
import { ChatCache } from './chat-cache';
import { createEventIntake, feedIntake } from './event-intake';
import { liveEventHandlers, type ArrivalListener } from './live-events';
import { forgetOutbox, persistOutbox } from './outbox-persistence';
import { OutboxSender, type Draft, type FileDraft, type Upload } from './outbox-sender';
import { uploadFile } from './uploads';
import { ReceiptSender, type MessageRef } from './receipt-sender';
import { AckTimeoutError, createChatSocket, emitWithAck, type ChatSocket } from './socket';
import { reportVisibility } from './visibility-reporter';
import { useConnectionStore } from './stores/connection';
import { useTypingStore } from './stores/typing';

const ACTION_TIMEOUT_MS = 10_000;
const SERVER_HANGUP_RETRY_MS = 2000;

export type SyncEngineOptions = {
  /** Makes the socket to own; by default the page's own `/chat`, authenticated by the session cookie. */
  socket?: () => ChatSocket;
  /** The REST calls the engine makes (catch-up); by default the page's own API. */
  api?: Pick<Api, 'sync'>;
  /** Sends a file's bytes; by default from the browser with progress (lib/client/uploads.ts). */
  upload?: Upload;
  /** The session is gone (signed out elsewhere, expired); by default, to the sign-in page. */
  onSignedOut?: () => void;
};

const browserSocket = () => createChatSocket(undefined, { autoConnect: false, reconnectionDelayMax: 5000 });

export class SyncEngine {
  readonly cache: ChatCache;
  private readonly outbox: OutboxSender;
  private readonly receipts: ReceiptSender;
  private readonly api: Pick<Api, 'sync'>;
  private socket: ChatSocket | null = null;
  /** Undoes what start() set up. */
  private teardown: (() => void)[] = [];
  private readonly arrivalListeners = new Set<ArrivalListener>();

  constructor(
    queryClient: QueryClient,
    readonly me: UserSummary,
    private readonly options: SyncEngineOptions = {},
  ) {
    // Nothing here touches the browser: React may make an engine during server rendering.
    this.api = options.api ?? defaultApi;
    this.cache = new ChatCache(queryClient, me.id);
    const socket = () => this.socket;
    this.receipts = new ReceiptSender(socket, this.cache);
    this.outbox = new OutboxSender(socket, this.cache, options.upload ?? uploadFile);
  }

  // -------------------------------------------------------------------------------------------
  // Lifecycle

  /** Restores the saved outbox and connects. */
  start(): void {
    if (this.socket) return;
    const socket = (this.options.socket ?? browserSocket)();
    this.socket = socket;
    const status = useConnectionStore.getState().setStatus;
    let connectedBefore = false;
    let hangupRetry: ReturnType<typeof setTimeout> | undefined;

    this.teardown.push(persistOutbox(this.me.id));
    const onArrival: ArrivalListener = (message, conversation) => {
      for (const listener of this.arrivalListeners) listener(message, conversation);
    };
    this.teardown.push(feedIntake(socket, createEventIntake(liveEventHandlers(this.cache, this.receipts, onArrival))));
    this.teardown.push(reportVisibility(socket));

    socket.on('connect', () => {
      status('online');
      // Taken now, before this connection's live events move the ends past what was missed.
      const ends = this.cache.heldHistoryEnds();
      const loading = this.cache.historiesLoading();
      if (connectedBefore) {
        useTypingStore.getState().clearAll();
        this.receipts.reset();
      }
      connectedBefore = true;
      this.outbox.flush();
      void this.catchUp(socket, ends, loading);
    });
    socket.on('disconnect', (reason) => {
      status(isOffline() ? 'offline' : 'reconnecting');
      // Socket.IO does not come back by itself after the server hung up; a failed handshake then
      // says "unauthorized" if that was the reason.
      if (reason === 'io server disconnect') hangupRetry = setTimeout(() => socket.connect(), SERVER_HANGUP_RETRY_MS);
    });
    socket.on('connect_error', (error) => {
      // The session ended: only signing in again helps.
      if (error.message === 'unauthorized') (this.options.onSignedOut ?? toSignIn)();
      else status(isOffline() ? 'offline' : connectedBefore ? 'reconnecting' : 'connecting');
    });

    // The browser knows about a lost network long before a heartbeat times out: drop the
    // connection at once (sends then wait in the outbox), and reconnect as soon as it is back.
    if (typeof window !== 'undefined') {
      const onOffline = () => {
        status('offline');
        socket.io.engine?.close();
      };
      const onOnline = () => {
        if (socket.connected) return;
        status('reconnecting');
        socket.disconnect().connect();
      };
      window.addEventListener('offline', onOffline);
      window.addEventListener('online', onOnline);
      this.teardown.push(() => {
        window.removeEventListener('offline', onOffline);
        window.removeEventListener('online', onOnline);
      });
    }
    this.teardown.push(() => clearTimeout(hangupRetry));

    socket.connect();
  }

  /** Disconnects and lets go of everything start() set up (the engine can start again). */
  stop(): void {
    const socket = this.socket;
    if (!socket) return;
    this.socket = null;
    for (const undo of this.teardown.splice(0).reverse()) undo();
    socket.removeAllListeners();
    socket.disconnect();
    useConnectionStore.getState().setStatus('connecting');
  }

  private async catchUp(socket: ChatSocket, ends: Map<string, number>, loading: Map<string, Promise<number | null>>): Promise<void> {
    try {
      const newest = await catchUp(this.cache, (input) => this.api.sync(input), ends, loading);
      for (const [conversationId, message] of newest) this.receipts.markDelivered(conversationId, message);
    } catch (error) {
      if (this.socket !== socket) return; // stopped meanwhile
      // The server could not answer: the list and the held histories are fetched again instead
      // (each refetch merges with what live events brought meanwhile).
      console.warn('chat: catch-up failed, refetching', error);
      await this.cache.refetchConversations();
      for (const conversationId of ends.keys()) await this.cache.refetchHistory(conversationId);
    }
  }

  /**
   * Hears each message from someone else as it arrives live, after it is in the cache (not the
   * ones a catch-up brings after a reconnect: those are not news of this moment). Returns the
   * function that stops listening.
   */
  onArrival(listener: ArrivalListener): () => void {
    this.arrivalListeners.add(listener);
    return () => this.arrivalListeners.delete(listener);
  }

  // -------------------------------------------------------------------------------------------
  // What the app does through the engine

  send(draft: Draft): string {
    return this.outbox.send(draft);
  }

  sendFile(draft: FileDraft): string {
    return this.outbox.sendFile(draft);
  }

  cancelUpload(clientId: string): void {
    this.outbox.cancelUpload(clientId);
  }

  retry(clientId: string): void {
    this.outbox.retry(clientId);
  }

  discard(clientId: string): void {
    this.outbox.discard(clientId);
  }

  markRead(conversationId: string, message: MessageRef): void {
    this.receipts.markRead(conversationId, message);
  }

  markDelivered(conversationId: string, message: MessageRef): void {
    this.receipts.markDelivered(conversationId, message);
  }

  setTyping(conversationId: string, isTyping: boolean): void {
    if (this.socket?.connected) this.socket.emit('typing', { conversationId, isTyping }, () => {});
  }

  /** Rejects with the server's message when refused. */
  async editMessage(messageId: string, content: string): Promise<void> {
    const ack = await this.act('editMessage', { messageId, content });
    if ('message' in ack) this.cache.editedMessage(ack.message);
  }

  async deleteMessage(conversationId: string, messageId: string): Promise<void> {
    await this.act('deleteMessage', { messageId });
    this.cache.deletedMessage(conversationId, messageId);
  }

  /** Adds or removes my reaction; rejects with the server's message when refused. */
  async react(conversationId: string, messageId: string, emoji: string, add: boolean): Promise<void> {
    await this.act(add ? 'addReaction' : 'removeReaction', { messageId, emoji });
    this.cache.reactionChanged(conversationId, { messageId, emoji, userId: this.me.id, added: add });
  }

  /** I have read a thread up to this reply (its newest, usually). Best effort: a marker, not data. */
  markThreadRead(conversationId: string, rootId: string, messageId: string): void {
    this.cache.threadRead(conversationId, rootId);
    if (this.socket?.connected) this.socket.emit('markThreadRead', { rootId, messageId }, () => {});
  }

  /** Signing out: what this browser still had to send is forgotten, saved copies included. */
  forgetOutbox(): void {
    this.outbox.forgetFiles();
    forgetOutbox(this.me.id);
  }

  /** Edits and deletions need the server now: no queueing them while offline. */
  private async act<E extends 'editMessage' | 'deleteMessage' | 'addReaction' | 'removeReaction'>(event: E, payload: Parameters<typeof emitWithAck<E>>[2]) {
    const socket = this.socket;
    if (!socket?.connected) throw new Error('You are offline. Try again once connected.');
    try {
      const ack = await emitWithAck(socket, event, payload, ACTION_TIMEOUT_MS);
      if (!ack.ok) throw new Error(ack.error.message);
      return ack;
    } catch (error) {
      if (error instanceof AckTimeoutError) throw new Error('The server did not answer. Try again.');
      throw error;
    }
  }
}

function isOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}

function toSignIn(): void {
  window.location.assign('/login');
}
