// The `/chat` Socket.IO namespace: authentication of the handshake, rooms, and the handlers of
// every client event. Handlers are thin: budget and parse (SocketEvents), authorize and act (a
// service), emit.
import type { AppContext } from '@/lib/context';
import {
  CHAT_NAMESPACE,
  conversationIdInput,
  createConversationInput,
  deleteMessageInput,
  editMessageInput,
  receiptInput,
  reactionInput,
  rooms,
  sendMessageInput,
  threadReadInput,
  typingInput,
  visibilityInput,
} from '@/lib/protocol';
import { readCredential } from '@/lib/auth/tokens';
import { userForCredential } from '@/lib/auth/sessions';
import { conversationIdsOf, requireParticipant } from '@/lib/chat/membership';
import { createConversation } from '@/lib/chat/conversations';
import { deleteMessage, editMessage, sendMessage } from '@/lib/chat/messages';
import { markDelivered, markRead } from '@/lib/chat/receipts';
import { requireServerAdmin } from '@/lib/admin/server-admin';
import { removeMessageAsAdmin } from '@/lib/admin/moderation';
import { addReaction, removeReaction } from '@/lib/chat/reactions';
import { markThreadRead } from '@/lib/chat/threads';
import type { ChatNotifier } from '@/lib/chat/notifier';
import { sessionCookieUsable, withoutCookie } from '@/lib/http/origin';
import type { RealtimeBackend } from './backend';
import type { PushDispatcher } from '@/lib/push/dispatcher';
import { withPush } from '@/lib/push/notifier';
import { SocketEvents } from './handle';
import { createSocketNotifier } from './notifier';
import { PresenceTracker } from './presence';
import { TypingRelay } from './typing';
import { instrumentSocket } from '../ops/socket-metrics';
import type { ChatNamespace, ChatServerIO, ChatSocket } from './types';

export type Realtime = {
  chat: ChatNamespace;
  notifier: ChatNotifier;
  /** Takes no more client events; resolves once the handlers in flight have answered (or at the deadline). */
  stopEvents(deadline: Promise<void>): Promise<void>;
  /**
   * Closes this node's connections once what was written to each has gone out (acks, broadcasts).
   * Not a Socket.IO disconnect: clients see the connection drop and reconnect, to another node.
   */
  closeConnections(deadline: Promise<void>): Promise<void>;
  close(): void;
};

export function attachRealtime(io: ChatServerIO, ctx: AppContext, backend: RealtimeBackend, push: PushDispatcher): Realtime {
  const { db, logger, storage } = ctx;
  const chat: ChatNamespace = io.of(CHAT_NAMESPACE);
  // Every new message also queues its Web Pushes, whichever way it was sent.
  const notifier = withPush(createSocketNotifier(chat, db, backend.presence), push, logger);
  const presence = new PresenceTracker(chat, db, backend.presence, ctx.config.presenceGraceMs, logger);
  const typing = new TypingRelay(chat, backend.typing);
  // Every event spends its user's budget for the action (lib/chat/budgets.ts), shared with REST.
  const events = new SocketEvents(logger, ctx.budgets);

  // A missing or bad credential fails the handshake with connect_error "unauthorized".
  chat.use(async (socket, next) => {
    try {
      // The session cookie counts only on a handshake from the app's own pages (no hijacking
      // from another site's page); an explicit token is taken from anywhere.
      const { headers } = socket.handshake;
      const credential = await readCredential(
        { headers: sessionCookieUsable(ctx.config, headers) ? headers : withoutCookie(headers), token: socket.handshake.auth?.token },
        ctx.config.authSecret,
      );
      // Checked against the user's token version and signed-out sessions (lib/auth/sessions.ts).
      const user = await userForCredential(db, credential);
      if (!user) return next(new Error('unauthorized'));
      // A browser session's sockets share a room, so signing that session out disconnects them.
      if (credential?.sessionId) await socket.join(rooms.session(credential.sessionId));
      // Loaded before the handshake completes, so the rooms are joined before the client hears
      // "connect" and no message sent right after can miss it.
      socket.data = { userId: user.id, username: user.username, conversationIds: await conversationIdsOf(db, user.id) };
      // Last of the handshake: it counts the socket, and only a socket that connects is uncounted.
      if (!(await presence.admit(socket, ctx.config.maxSocketsPerUser))) return next(new Error('too_many_connections'));
      next();
    } catch (error) {
      logger.warn({ err: error }, 'socket authentication failed');
      next(new Error('unauthorized'));
    }
  });

  /** Membership, answered from the socket's rooms when it is in the conversation's room. */
  async function requireMember(socket: ChatSocket, conversationId: string): Promise<void> {
    if (socket.rooms.has(rooms.conversation(conversationId))) return;
    await requireParticipant(db, conversationId, socket.data.userId);
  }

  chat.on('connection', (socket: ChatSocket) => {
    const { userId } = socket.data;
    const typedIn = new Set<string>();
    instrumentSocket(socket);

    void socket.join([rooms.user(userId), ...socket.data.conversationIds.map(rooms.conversation)]);
    // A tab opened in the background says so in its handshake. Both start at once (the store
    // knows the socket since its admission), so it counts hidden before the client hears "connect".
    const startsHidden = socket.handshake.auth?.hidden === true;
    const ready = Promise.all([
      presence.connected(socket, socket.data.conversationIds),
      startsHidden ? backend.presence.setHidden(userId, socket.id, true) : undefined,
    ]).catch((error: unknown) => {
      logger.error({ err: error, userId }, 'socket setup failed');
      socket.disconnect(true);
    });

    socket.on('disconnect', () => {
      void ready
        .then(async () => {
          await typing.socketClosed(socket, typedIn);
          await presence.disconnected(socket);
        })
        .catch((error: unknown) => logger.warn({ err: error, userId }, 'socket teardown failed'));
    });

    events.on(socket, 'sendMessage', 'send', sendMessageInput, async (input) => {
      const sent = await sendMessage(db, userId, input);
      if (sent.created) await notifier.messageCreated(sent.message, sent.conversation);
      if (sent.thread) await notifier.threadUpdated(input.conversationId, sent.message.threadRootId!, sent.thread);
      if (typedIn.delete(input.conversationId)) await typing.stop(socket, input.conversationId);
      return { message: sent.message };
    });

    events.on(socket, 'typing', 'typing', typingInput, async ({ conversationId, isTyping }) => {
      await requireMember(socket, conversationId);
      if (!isTyping) {
        typedIn.delete(conversationId);
        await typing.stop(socket, conversationId);
        return {};
      }
      typedIn.add(conversationId);
      await typing.start(socket, conversationId);
      return {};
    });

    events.on(socket, 'markAsRead', 'receipt', receiptInput, async ({ conversationId, messageId }) => {
      const result = await markRead(db, userId, conversationId, messageId);
      const at = result.at.toISOString();
      const room = chat.to(rooms.conversation(conversationId));
      if (result.deliveredAdvanced) room.emit('messageDelivered', { messageId, seq: result.seq, conversationId, deliveredTo: userId, deliveredAt: at });
      if (result.advanced) room.emit('messageRead', { messageId, seq: result.seq, conversationId, readBy: userId, readAt: at });
      return { advanced: result.advanced };
    });

    events.on(socket, 'markAsDelivered', 'receipt', receiptInput, async ({ conversationId, messageId }) => {
      const result = await markDelivered(db, userId, conversationId, messageId);
      if (result.advanced) {
        chat.to(rooms.conversation(conversationId)).emit('messageDelivered', {
          messageId,
          seq: result.seq,
          conversationId,
          deliveredTo: userId,
          deliveredAt: result.at.toISOString(),
        });
      }
      return { advanced: result.advanced };
    });

    events.on(socket, 'joinConversation', 'join', conversationIdInput, async ({ conversationId }) => {
      await requireParticipant(db, conversationId, userId);
      await socket.join(rooms.conversation(conversationId));
      socket.emit('joinedConversation', { conversationId, message: 'Joined conversation' });
      return { conversationId };
    });

    events.on(socket, 'leaveConversation', 'join', conversationIdInput, async ({ conversationId }) => {
      await socket.leave(rooms.conversation(conversationId));
      socket.emit('leftConversation', { conversationId, message: 'Left conversation' });
      return { conversationId };
    });

    events.on(socket, 'createConversation', 'createConversation', createConversationInput, async (input) => {
      const { conversation, created } = await createConversation(db, userId, input);
      if (created) await notifier.conversationCreated(conversation.id, { id: userId, username: socket.data.username });
      return { conversation, created };
    });

    events.on(socket, 'editMessage', 'edit', editMessageInput, async ({ messageId, content }) => {
      const message = await editMessage(db, userId, messageId, content);
      await notifier.messageEdited(message);
      return { message };
    });

    events.on(socket, 'visibility', 'visibility', visibilityInput, async ({ visible }) => {
      await ready;
      await backend.presence.setHidden(userId, socket.id, !visible);
      return {};
    });

    events.on(socket, 'deleteMessage', 'delete', deleteMessageInput, async ({ messageId }) => {
      const deleted = await deleteMessage(db, storage, userId, messageId);
      await notifier.messageDeleted(deleted.messageId, deleted.conversationId);
      if (deleted.thread) await notifier.threadUpdated(deleted.conversationId, deleted.thread.rootId, deleted.thread.summary);
      return { messageId };
    });

    // Moderation: server admins only (anyone else: not_found, as over REST).
    events.on(socket, 'removeMessage', 'admin', deleteMessageInput, async ({ messageId }) => {
      await requireServerAdmin(db, ctx.config, userId);
      const removed = await removeMessageAsAdmin(db, storage, userId, messageId);
      if (removed.removed) {
        await notifier.messageDeleted(removed.messageId, removed.conversationId, { removedByAdmin: true });
        if (removed.thread) await notifier.threadUpdated(removed.conversationId, removed.thread.rootId, removed.thread.summary);
      }
      return { messageId };
    });
    events.on(socket, 'addReaction', 'react', reactionInput, async ({ messageId, emoji }) => {
      const change = await addReaction(db, userId, messageId, emoji);
      await notifier.reactionChanged(change);
      return { changed: change.changed };
    });

    events.on(socket, 'removeReaction', 'react', reactionInput, async ({ messageId, emoji }) => {
      const change = await removeReaction(db, userId, messageId, emoji);
      await notifier.reactionChanged(change);
      return { changed: change.changed };
    });

    events.on(socket, 'markThreadRead', 'receipt', threadReadInput, async ({ rootId, messageId }) => markThreadRead(db, userId, rootId, messageId));
  });

  return {
    chat,
    notifier,
    stopEvents: (deadline) => events.stop(deadline),
    async closeConnections(deadline) {
      const closed = [...chat.sockets.values()].map((socket) => {
        const conn = socket.conn;
        if (conn.readyState === 'closed') return Promise.resolve();
        const gone = new Promise<void>((resolve) => conn.once('close', () => resolve()));
        // Engine.IO sends what is buffered first, then closes the transport.
        conn.close();
        return gone;
      });
      await Promise.race([Promise.all(closed), deadline]);
    },
    close() {
      presence.close();
      typing.close();
    },
  };
}

