// A request to bring one message into view (from a reply quote or a search result). The message
// list loads older pages until it holds the message, then scrolls to it and highlights it.
import { create } from 'zustand';

/** `seq` tells two requests for the same message apart (clicking the same quote twice). */
export type JumpRequest = { conversationId: string; messageId: string; seq: number };

type JumpState = {
  request: JumpRequest | null;
  lastSeq: number;
  jumpTo: (conversationId: string, messageId: string) => void;
  /** Done with this request: it must not fire again when the list mounts anew. */
  finish: (seq: number) => void;
};

export const useJumpStore = create<JumpState>()((set) => ({
  request: null,
  lastSeq: 0,
  jumpTo: (conversationId, messageId) =>
    set((state) => ({ lastSeq: state.lastSeq + 1, request: { conversationId, messageId, seq: state.lastSeq + 1 } })),
  finish: (seq) => set((state) => (state.request?.seq === seq ? { request: null } : state)),
}));
