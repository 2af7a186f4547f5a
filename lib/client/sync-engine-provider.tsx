'use client';
// Gives the chat screen its one SyncEngine: made once per signed-in user and page, connected
// while mounted. Components reach it with useSyncEngine().
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { UserSummary } from '../protocol';
import { SyncEngine } from './sync-engine';

const SyncEngineContext = createContext<SyncEngine | null>(null);

export function SyncEngineProvider({ me, children }: { me: UserSummary; children: ReactNode }) {
  const queryClient = useQueryClient();
  // The constructor has no side effects (it may run during server rendering, or twice in dev).
  const [engine] = useState(() => new SyncEngine(queryClient, me));
  useEffect(() => {
    engine.start();
    return () => engine.stop();
  }, [engine]);
  return <SyncEngineContext.Provider value={engine}>{children}</SyncEngineContext.Provider>;
}

export function useSyncEngine(): SyncEngine {
  const engine = useContext(SyncEngineContext);
  if (!engine) throw new Error('useSyncEngine() needs a SyncEngineProvider above it');
  return engine;
}
