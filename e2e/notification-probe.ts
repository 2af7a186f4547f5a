// A probe for the in-page notifier, installed in every page of a context before the app runs:
// window.Notification is wrapped to record each notification (still made by the real
// constructor), sounds played and permission requests are recorded, and the test can hide the
// page (document.visibilityState, document.hidden and focus are emulated). Used by the
// notification and mention specs.
import type { Browser, BrowserContextOptions, Page } from '@playwright/test';
import { expect } from './fixtures';
import { expectOnline, signInContext, type ChatUser } from './helpers';

type Recorded = { title: string; body: string | undefined; tag: string | undefined };
type Probe = {
  notifications: Recorded[];
  instances: Notification[];
  sounds: string[];
  permissionRequests: number;
  setHidden: (hidden: boolean) => void;
};
declare global {
  interface Window {
    __probe: Probe;
  }
}

/**
 * Runs before the app in every page: records notifications (still made through the real
 * constructor), sounds played and permission requests, and lets the test hide the page.
 * `permission` overrides what Notification.permission says (for the prompt's "default" state).
 */
function installProbe(permission: NotificationPermission | null) {
  let hidden = false;
  const probe: Probe = {
    notifications: [],
    instances: [],
    sounds: [],
    permissionRequests: 0,
    setHidden: (value) => {
      hidden = value;
      document.dispatchEvent(new Event('visibilitychange'));
      window.dispatchEvent(new Event(value ? 'blur' : 'focus'));
    },
  };
  window.__probe = probe;
  Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => hidden });
  const hasFocus = Document.prototype.hasFocus;
  Document.prototype.hasFocus = function () {
    return !hidden && hasFocus.call(this);
  };

  const Real = window.Notification;
  let answered: NotificationPermission | null = null;
  const Recording = function (this: unknown, title: string, options?: NotificationOptions) {
    const instance = new Real(title, options);
    probe.notifications.push({ title, body: options?.body, tag: options?.tag });
    probe.instances.push(instance);
    return instance;
  } as unknown as typeof Notification;
  Object.defineProperty(Recording, 'permission', { get: () => answered ?? permission ?? Real.permission });
  Object.defineProperty(Recording, 'requestPermission', {
    value: async () => {
      probe.permissionRequests += 1;
      answered = 'granted';
      return 'granted';
    },
  });
  Recording.prototype = Real.prototype;
  window.Notification = Recording;

  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    probe.sounds.push(this.src);
    return play.call(this);
  };
}

/** A signed-in context with the probe in every page, and `tabs` pages open at `path`. */
export async function openTabs(browser: Browser, user: ChatUser, { tabs = 1, path = '/', permission = null as NotificationPermission | null, options = {} as BrowserContextOptions } = {}) {
  const context = await browser.newContext({ baseURL: `http://127.0.0.1:${process.env.E2E_PORT ?? 3210}`, ...options });
  await context.addInitScript(installProbe, permission);
  await signInContext(context, user);
  const pages: Page[] = [];
  for (let i = 0; i < tabs; i++) {
    const page = await context.newPage();
    await page.goto(path);
    await expect(page.getByTestId('current-user')).toHaveText(user.name);
    await expectOnline(page);
    pages.push(page);
  }
  return { context, pages };
}

export const notificationsOf = (page: Page) => page.evaluate(() => window.__probe.notifications);
export const hide = (page: Page, hidden = true) => page.evaluate((value) => window.__probe.setHidden(value), hidden);
