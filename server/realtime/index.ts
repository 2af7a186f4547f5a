// The `/chat` Socket.IO namespace: authentication of the handshake, rooms, and event handlers.
import type { AppContext } from '@/lib/context';
import { CHAT_NAMESPACE, rooms } from '@/lib/protocol';
import { userIdFromCredential } from '@/lib/auth/tokens';
import { findActiveUser } from '@/lib/chat/users';

import type { ChatNamespace, ChatServerIO, ChatSocket } from './types';

export function attachRealtime(io: ChatServerIO, getContext: () => AppContext) {
  const chat: ChatNamespace = io.of(CHAT_NAMESPACE);

  // A missing or bad credential fails the handshake with connect_error "unauthorized".
  chat.use(async (socket, next) => {
    try {
      const ctx = getContext();
      const userId = await userIdFromCredential(
        { headers: socket.handshake.headers, token: socket.handshake.auth?.token },
        ctx.config.authSecret,
      );
      const user = userId ? await findActiveUser(ctx.db, userId) : null;
      if (!user) return next(new Error('unauthorized'));
      socket.data = { userId: user.id, username: user.username };
      next();
    } catch {
      next(new Error('unauthorized'));
    }
  });

  chat.on('connection', (socket: ChatSocket) => {
    void socket.join(rooms.user(socket.data.userId));
  });

  return { chat };
}
