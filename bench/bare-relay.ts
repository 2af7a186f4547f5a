// The ceiling the benchmark compares the chat with: a bare Socket.IO relay on the same `/chat`
// events and socket options, with no authentication, no database and no presence. A client names
// its user and conversation in the handshake; `sendMessage` is acknowledged and emitted as
// `newMessage` (a message of the same shape) to the conversation's room. With REDIS_URL it uses
// the same Redis adapter, so a two-node run has a two-node ceiling.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';

const port = Number(process.env.PORT ?? 3100);
const http = createServer((_req, res) => {
  res.statusCode = 404;
  res.end();
});
const io = new Server(http, { serveClient: false, pingInterval: 20_000, pingTimeout: 20_000, maxHttpBufferSize: 1_000_000 });
if (process.env.REDIS_URL) {
  const pub = new Redis(process.env.REDIS_URL);
  const sub = pub.duplicate();
  io.adapter(createAdapter(pub, sub, { key: `${process.env.REDIS_KEY_PREFIX ?? 'bare:'}socket.io` }));
}

type Handshake = { userId: string; username: string; conversationId: string };
type Send = { conversationId: string; content: string; clientId?: string };

const chat = io.of('/chat');
chat.on('connection', (socket) => {
  const { userId, username, conversationId } = socket.handshake.auth as Handshake;
  void socket.join([`user:${userId}`, `conversation:${conversationId}`]);
  socket.on('sendMessage', (input: Send, ack?: (response: unknown) => void) => {
    const message = {
      id: randomUUID(),
      conversationId: input.conversationId,
      senderId: userId,
      sender: { id: userId, username, name: username, avatarUrl: null },
      content: input.content,
      messageType: 'text',
      replyTo: null,
      clientId: input.clientId ?? null,
      attachment: null,
      location: null,
      createdAt: new Date().toISOString(),
      editedAt: null,
      deletedAt: null,
    };
    chat.to(`conversation:${input.conversationId}`).emit('newMessage', { message, conversation: { id: input.conversationId, name: 'Bench room', type: 'group' } });
    ack?.({ ok: true, message });
  });
});

http.listen(port, '127.0.0.1');
process.on('SIGTERM', () => {
  void io.close(() => process.exit(0));
});
