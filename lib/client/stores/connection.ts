// The connection's state, as the sync engine publishes it: for the banner and the chat root's
// `data-connection`. (The engine itself is React context: see sync-engine-provider.tsx.)
import { create } from 'zustand';

/**
 * connecting: first connection not made yet; online: connected;
 * reconnecting: lost and trying again; offline: the browser reports no network.
 */
export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'offline';

type ConnectionState = {
  status: ConnectionStatus;
  setStatus: (status: ConnectionStatus) => void;
};

export const useConnectionStore = create<ConnectionState>()((set) => ({
  status: 'connecting',
  setStatus: (status) => set({ status }),
}));

export const useConnectionStatus = () => useConnectionStore((s) => s.status);
