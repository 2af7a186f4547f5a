// Tells the server whether this tab is visible: a user whose every tab is hidden (or closed) gets
// Web Push instead (lib/push/). The handshake carries the state a connection starts in; a
// `visibility` event follows each change.
import type { ChatSocket } from './socket';

/** Starts reporting; returns the function that stops it. */
export function reportVisibility(socket: ChatSocket): () => void {
  if (typeof document === 'undefined') return () => {};
  const hidden = () => document.visibilityState === 'hidden';
  // Evaluated at every (re)connect, keeping whatever auth the socket was given (a token in tests).
  const given = typeof socket.auth === 'object' ? socket.auth : {};
  socket.auth = (send) => send({ ...given, hidden: hidden() });
  const tell = () => {
    if (socket.connected) socket.emit('visibility', { visible: !hidden() });
  };
  document.addEventListener('visibilitychange', tell);
  return () => document.removeEventListener('visibilitychange', tell);
}
