// Per-user budgets for every action, one table for the socket and REST alike: a user's sends
// over the socket and over REST spend one counter. Generous for people, firm for runaway
// clients and scripts, so one user cannot slow everyone else down; windows are short where a
// burst would cost the database much. With REDIS_URL the counters live in Redis and every node
// spends the same budget.
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { consume } from '../http/rate-limit';

export type Budget = { points: number; durationSec: number };

export const BUDGETS = {
  /** sendMessage, POST …/messages */
  send: { points: 60, durationSec: 10 },
  /** typing (started and stopped) */
  typing: { points: 20, durationSec: 10 },
  /** editMessage, PATCH /api/messages/:id */
  edit: { points: 20, durationSec: 20 },
  /** deleteMessage, DELETE /api/messages/:id */
  delete: { points: 20, durationSec: 20 },
  /**
   * markAsRead and markAsDelivered: one per new newest message, so a busy chat sends many, and a
   * client starting up marks every conversation with news delivered at once.
   */
  receipt: { points: 120, durationSec: 30 },
  /** addReaction, removeReaction (socket and REST): a burst of clicks is fine, a script is not. */
  react: { points: 30, durationSec: 10 },
  /** joinConversation and leaveConversation */
  join: { points: 30, durationSec: 10 },
  /** createConversation, POST /api/conversations: each one tells every member. */
  createConversation: { points: 10, durationSec: 30 },
  /** POST …/participants, DELETE …/participants/:userId */
  member: { points: 30, durationSec: 60 },
  /** PATCH /api/conversations/:id (rename), PATCH …/settings (mute, archive) */
  updateConversation: { points: 30, durationSec: 60 },
  /** GET …/search: full-text search is the heaviest read. */
  search: { points: 30, durationSec: 60 },
  /** GET /api/users?q= (the people picker searches as one types) */
  userLookup: { points: 30, durationSec: 15 },
  /** POST /api/uploads and POST /api/uploads/presign, every attempt counted */
  upload: { points: 30, durationSec: 60 },
  /** POST /api/uploads/:id/complete: verifying a direct upload (a HEAD and a ranged GET) */
  uploadComplete: { points: 60, durationSec: 60 },
  /** GET /api/attachments/:id: every image of a chat, and media seeking by ranges */
  download: { points: 200, durationSec: 10 },
  /** POST /api/sync: catching up after a reconnect */
  sync: { points: 60, durationSec: 60 },
  /** POST /api/me/password (also a sign-in attempt), POST /api/me/sign-out-everywhere */
  account: { points: 10, durationSec: 60 },
  /** GET /api/channels: the channel browser searches as one types. */
  browseChannels: { points: 30, durationSec: 15 },
  /** POST /api/conversations/:id/join (a public channel) */
  joinChannel: { points: 20, durationSec: 60 },
  /** Admins: POST and DELETE …/invites (making and revoking invite links) */
  invite: { points: 20, durationSec: 60 },
  /** GET /api/invites/:code and POST …/join: opening links (firm: codes must not be guessed at) */
  inviteUse: { points: 20, durationSec: 60 },
  /** visibility: a tab shown or hidden (Web Push goes to users with no visible tab) */
  visibility: { points: 120, durationSec: 60 },
  /** POST/DELETE /api/push/subscriptions: a browser turning push on or off */
  pushSubscription: { points: 20, durationSec: 60 },
  /** PATCH /api/me/notifications: the default level, message previews */
  notificationSettings: { points: 30, durationSec: 60 },
  /** PATCH /api/me (name), POST and DELETE /api/me/avatar (each avatar is decoded and resized) */
  profile: { points: 20, durationSec: 60 },
  /** Every /api/admin route and the removeMessage event: generous for a person at a console */
  admin: { points: 120, durationSec: 60 },
  /** The other reads: conversation list, one conversation, history pages, unread, me */
  read: { points: 60, durationSec: 10 },
} as const satisfies Record<string, Budget>;

export type BudgetAction = keyof typeof BUDGETS;

/** One limiter per action, keyed by user id. */
export type Budgets = { readonly [A in BudgetAction]: RateLimiterAbstract };

/** A limiter factory: `RealtimeBackend.limiter` (Redis-backed with REDIS_URL, else in memory). */
export type LimiterFactory = (name: string, points: number, durationSec: number) => RateLimiterAbstract;

export function createBudgets(limiter: LimiterFactory): Budgets {
  const entries = Object.entries(BUDGETS).map(([action, { points, durationSec }]) => [action, limiter(`budget:${action}`, points, durationSec)]);
  return Object.fromEntries(entries) as Budgets;
}

/**
 * Spends one point of a user's budget for an action, or throws `rate_limited` carrying when to
 * retry (REST answers 429 with Retry-After). Called by the socket event wrapper
 * (server/realtime/handle.ts) and the REST wrapper (lib/http/route.ts).
 */
export function spend(budgets: Budgets, userId: string, action: BudgetAction): Promise<void> {
  return consume(budgets[action], userId);
}
