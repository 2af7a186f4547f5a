// Keeps my unsent text messages in localStorage, so a reload (or a crash) while offline does not
// lose them: they come back as pending, in their queue order, and are sent under their original
// clientId once connected. Files are not kept (a File cannot be stored); one tab's entries are
// seen by the others only when they load, and a clientId sent twice is still one message.
// Signing out forgets them (forgetOutbox): the next person at this browser must not find them.
import { inQueueOrder, useOutboxStore, type OutgoingMessage } from './stores/outbox';

const keyFor = (userId: string) => `parley:outbox:${userId}`;

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // access denied (some privacy settings)
  }
}

function read(userId: string): OutgoingMessage[] {
  try {
    const parsed: unknown = JSON.parse(storage()?.getItem(keyFor(userId)) ?? '[]');
    return Array.isArray(parsed) ? (parsed as OutgoingMessage[]).filter((m) => typeof m?.clientId === 'string' && typeof m.content === 'string') : [];
  } catch {
    return [];
  }
}

function write(userId: string, messages: OutgoingMessage[]): void {
  try {
    if (messages.length) storage()?.setItem(keyFor(userId), JSON.stringify(messages));
    else storage()?.removeItem(keyFor(userId));
  } catch {
    // Storage full or disabled (private mode): the outbox still works for this page's lifetime.
  }
}

/** Restores my saved outbox into the store and saves it on every change; returns the unsubscribe. */
export function persistOutbox(userId: string): () => void {
  const store = useOutboxStore.getState();
  // Saved in queue order; added in that order, they keep it.
  for (const { order: _order, ...message } of read(userId)) {
    if (!store.messages[message.clientId]) store.add({ ...message, status: 'pending' });
  }
  return useOutboxStore.subscribe((state, previous) => {
    if (state.messages === previous.messages) return;
    write(
      userId,
      inQueueOrder(state.messages).filter((m) => m.messageType === 'text'),
    );
  });
}

/** Drops my unsent messages, saved and in memory (at sign-out). */
export function forgetOutbox(userId: string): void {
  useOutboxStore.getState().clear();
  write(userId, []);
}
