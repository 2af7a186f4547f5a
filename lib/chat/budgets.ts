// Per-user budgets for every action, one table for the socket and REST alike: a user's sends
// over the socket and over REST spend one counter. Generous for people, firm for runaway
// clients and scripts, so one user cannot slow everyone else down. With REDIS_URL the counters
// live in Redis and every node spends the same budget.
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../errors';

export type Budget = { points: number; durationSec: number };

export const BUDGETS = {
  /** sendMessage, POST …/messages */
  send: { points: 60, durationSec: 10 },
  /** typing (started and stopped) */
  typing: { points: 20, durationSec: 10 },
  /** editMessage, PATCH /api/messages/:id */
  edit: { points: 60, durationSec: 60 },
  /** deleteMessage, DELETE /api/messages/:id */
  delete: { points: 60, durationSec: 60 },
  /** markAsRead and markAsDelivered: one per new high-water mark, so a busy chat sends many. */
  receipt: { points: 600, durationSec: 60 },
  /** joinConversation and leaveConversation */
  join: { points: 120, durationSec: 60 },
  /** createConversation, POST /api/conversations: each one notifies every member. */
  createConversation: { points: 20, durationSec: 60 },
  /** POST …/participants, DELETE …/participants/:userId */
  member: { points: 60, durationSec: 60 },
  /** PATCH /api/conversations/:id (rename), PATCH …/settings (mute, archive) */
  updateConversation: { points: 60, durationSec: 60 },
  /** GET …/search: full-text search is the heaviest read. */
  search: { points: 30, durationSec: 60 },
  /** GET /api/users?q= (the people picker searches as one types) */
  userLookup: { points: 120, durationSec: 60 },
  /** POST /api/uploads, every attempt counted */
  upload: { points: 30, durationSec: 60 },
  /** GET /api/attachments/:id: every image and media range request of a chat */
  download: { points: 1200, durationSec: 60 },
  /** POST /api/sync: catching up after a reconnect */
  sync: { points: 60, durationSec: 60 },
  /** The other reads: conversation list, one conversation, history pages, unread, me */
  read: { points: 600, durationSec: 60 },
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
 * retry. Called by the socket event wrapper (server/realtime/handle.ts) and the REST wrapper
 * (lib/http/route.ts), so each runs this module's copy of AppError on its own side of the Next
 * bundle. A spent budget rejects with a plain result (`msBeforeNext`), a failing store with an
 * Error: told apart by shape, never by class (Next bundles its own rate-limiter-flexible).
 */
export async function spend(budgets: Budgets, userId: string, action: BudgetAction): Promise<void> {
  try {
    await budgets[action].consume(userId);
  } catch (rejection) {
    if (rejection instanceof Error) throw rejection;
    throw rateLimited(msBeforeNextOf(rejection));
  }
}

function msBeforeNextOf(rejection: unknown): number {
  const ms = (rejection as { msBeforeNext?: unknown } | null)?.msBeforeNext;
  return typeof ms === 'number' && ms > 0 ? ms : 1000;
}

function rateLimited(msBeforeNext: number): AppError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return Object.assign(new AppError('rate_limited', `Too many requests; try again in ${seconds} s.`), { retryAfterSec: seconds });
}
