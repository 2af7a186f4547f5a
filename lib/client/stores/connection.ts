// The chat client (socket, outbox, receipts) and its connection state, for the banner and for
// anything that sends. `client` is null until the chat has mounted in the browser.
import { create } from 'zustand';
import type { ChatClient } from '../chat-client';

/**
 * connecting: first connection not made yet; online: connected;
 * reconnecting: lost and trying again; offline: the browser reports no network.
 */
export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'offline';

type ConnectionState = {
  client: ChatClient | null;
  status: ConnectionStatus;
  setClient: (client: ChatClient | null) => void;
  setStatus: (status: ConnectionStatus) => void;
};

export const useConnectionStore = create<ConnectionState>()((set) => ({
  client: null,
  status: 'connecting',
  setClient: (client) => set({ client }),
  setStatus: (status) => set({ status }),
}));

export const useChatClient = () => useConnectionStore((s) => s.client);
export const useConnectionStatus = () => useConnectionStore((s) => s.status);
