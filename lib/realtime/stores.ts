// Live, non-durable state shared by every node serving the chat: which users have sockets open
// (presence) and who is typing where. In memory for one node (./memory-stores.ts); in Redis when
// several nodes serve one chat (./redis-stores.ts).

/** A socket counted (`first`: the user's first on any node), or refused at the cap. */
export type Admission = { admitted: true; first: boolean } | { admitted: false };

export interface PresenceStore {
  /**
   * Records an open socket of a user on this node. Resolves true when it is the user's first
   * socket on any node (they just came online).
   */
  addSocket(userId: string, socketId: string): Promise<boolean>;
  /**
   * `addSocket` within a cap: unless the user already has `maxSockets` open on all nodes (then
   * nothing is recorded). Checked and counted in one step, so concurrent handshakes cannot
   * overshoot the cap.
   */
  admitSocket(userId: string, socketId: string, maxSockets: number): Promise<Admission>;
  /**
   * Forgets a socket. Resolves true when the user has no socket left on any node (they may be
   * going offline; the caller waits a grace period and asks `isOnline` again before saying so).
   */
  removeSocket(userId: string, socketId: string): Promise<boolean>;
  /**
   * Whether a socket's page is hidden (its tab in the background, the window minimised), as its
   * client reports it. A socket that never reports counts as visible. Ignored for unknown sockets.
   */
  setHidden(userId: string, socketId: string, hidden: boolean): Promise<void>;
  /**
   * The subset of these users with a visible tab now: some socket open on any node that does not
   * report hidden. The others get Web Push (lib/push/).
   */
  visibleAmong(userIds: readonly string[]): Promise<Set<string>>;
  isOnline(userId: string): Promise<boolean>;
  /** The subset of these users that is online. */
  onlineAmong(userIds: readonly string[]): Promise<Set<string>>;
  /**
   * Users found offline because the node holding their sockets stopped without saying so
   * (crashed). Called at most once per such user across all nodes. The memory store never calls it.
   */
  onOrphaned(listener: (userIds: string[]) => void): void;
  close(): Promise<void>;
}

export interface TypingStore {
  /** Marks a user typing in a conversation for ttlMs. Resolves true if they were not already. */
  start(conversationId: string, userId: string, ttlMs: number): Promise<boolean>;
  /** Clears it. Resolves true if they were typing. */
  stop(conversationId: string, userId: string): Promise<boolean>;
  /** Who is typing there now. */
  typingIn(conversationId: string): Promise<string[]>;
  close(): Promise<void>;
}
