'use client';
// Typing, both ways, for one conversation. Outgoing: "started" is sent at most every few seconds
// while keys are pressed, and "stopped" after a short idle pause, on send, or on leaving.
// Incoming: who else is typing, as a sentence ("Alice and Bob are typing…").
// The timings are the protocol's (TYPING): "started" is repeated before the server's expiry.
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { TYPING } from '../../protocol';
import { typingSentence } from '../format';
import { useTypingStore, type Typist } from '../stores/typing';
import { useSyncEngine } from '../sync-engine-provider';
import { useConversation } from './useConversations';

const NOBODY: Record<string, Typist> = {};

export function useTyping(conversationId: string) {
  const engine = useSyncEngine();
  const { conversation } = useConversation(conversationId);
  const typists = useTypingStore((s) => s.byConversation[conversationId] ?? NOBODY);

  const outgoing = useRef({ typing: false, lastSentAt: 0, idleTimer: undefined as ReturnType<typeof setTimeout> | undefined });

  const stopTyping = useCallback(() => {
    const state = outgoing.current;
    clearTimeout(state.idleTimer);
    if (!state.typing) return;
    state.typing = false;
    engine.setTyping(conversationId, false);
  }, [engine, conversationId]);

  const notifyTyping = useCallback(() => {
    const state = outgoing.current;
    const now = Date.now();
    if (!state.typing || now - state.lastSentAt >= TYPING.clientRepeatMs) {
      state.typing = true;
      state.lastSentAt = now;
      engine.setTyping(conversationId, true);
    }
    clearTimeout(state.idleTimer);
    state.idleTimer = setTimeout(stopTyping, TYPING.clientIdleMs);
  }, [engine, conversationId, stopTyping]);

  // Leaving the conversation (or the page) stops typing there.
  useEffect(() => stopTyping, [stopTyping]);

  // Expire entries whose "stopped" never came.
  const anyone = Object.keys(typists).length > 0;
  useEffect(() => {
    if (!anyone) return;
    const timer = setInterval(() => useTypingStore.getState().prune(), 1000);
    return () => clearInterval(timer);
  }, [anyone]);

  const sentence = useMemo(() => {
    const names = Object.values(typists).map((t) => {
      const participant = conversation?.participants.find((p) => p.user.id === t.userId);
      return participant?.user.name ?? t.username;
    });
    return typingSentence(names);
  }, [typists, conversation]);

  return { sentence, notifyTyping, stopTyping };
}
