'use client';
// Whether the signed-in user is a server admin, for the few places the chat screen offers admin
// actions (the admin console link, removing anyone's message). The server checks again.
import { createContext, useContext, type ReactNode } from 'react';

const ServerAdminContext = createContext(false);

export function ServerAdminProvider({ isAdmin, children }: { isAdmin: boolean; children: ReactNode }) {
  return <ServerAdminContext.Provider value={isAdmin}>{children}</ServerAdminContext.Provider>;
}

export function useIsServerAdmin(): boolean {
  return useContext(ServerAdminContext);
}
