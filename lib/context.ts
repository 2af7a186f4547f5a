// The services a running server shares with its Next.js route handlers. Next bundles route
// handlers apart from the custom server, so the one context lives on globalThis; the custom
// server (server/app.ts) installs it before it serves a request.
import type { Config } from './config';
import type { Db } from './db/open';
import type { Logger } from './logger';
import type { ChatNotifier } from './chat/notifier';
import type { FileStorage } from './storage';
import type { SignInLimits } from './auth/sign-in-limits';
import type { Budgets } from './chat/budgets';

export type AppContext = {
  config: Config;
  db: Db;
  logger: Logger;
  /** Pushes changes made over REST to connected sockets. */
  notifier: ChatNotifier;
  /** Budgets for sign-in and sign-up attempts (lib/auth/sign-in-limits.ts). */
  signInLimits: SignInLimits;
  /** Where attachment bytes live (local disk or S3). */
  storage: FileStorage;
  /** Per-user budgets for every action, spent by socket events and REST routes alike (lib/chat/budgets.ts). */
  budgets: Budgets;
};

const holder = globalThis as typeof globalThis & { __chatAppContext?: AppContext };

export function setAppContext(context: AppContext | undefined): void {
  holder.__chatAppContext = context;
}

export function getAppContext(): AppContext {
  const context = holder.__chatAppContext;
  if (!context) {
    throw new Error('The app context is not initialised: run the app through its server (npm start / npm run dev).');
  }
  return context;
}
