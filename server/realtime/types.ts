import type { Namespace, Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@/lib/protocol';

export type SocketData = {
  userId: string;
  username: string;
  /** The user's conversations when the handshake was accepted (rooms joined on connect). */
  conversationIds: string[];
};
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type InterServerEvents = {};
export type ChatServerIO = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type ChatNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
