// Web Push in the browser: the service worker (public/sw.js), this browser's subscription and
// the server's copy of it. Push follows the notification permission: once it is granted (the
// in-app prompt, or the account dialog) this browser subscribes for the signed-in user, unless
// they turned push off here. Signing out removes the subscription from the server and the browser.
import type { PushSubscriptionInput } from '../protocol';
import { api } from './api';

/** Set when the user turned push off in this browser: it is not turned back on by itself. */
const TURNED_OFF_KEY = 'parley:push-off';

export type PushState = 'unsupported' | 'denied' | 'off' | 'on';

export function pushSupported(): boolean {
  return (
    typeof window !== 'undefined' &&
    window.isSecureContext &&
    'serviceWorker' in navigator &&
    'PushManager' in window &&
    'Notification' in window
  );
}

let registration: Promise<ServiceWorkerRegistration> | null = null;

/** Registers public/sw.js once per page; resolves once it is active. */
export function registerServiceWorker(): Promise<ServiceWorkerRegistration> | null {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return null;
  registration ??= navigator.serviceWorker.register('/sw.js', { scope: '/' }).then(() => navigator.serviceWorker.ready);
  return registration;
}

/** A base64url key as the bytes `pushManager.subscribe` takes. */
export function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function sameBytes(a: ArrayBuffer | null | undefined, b: Uint8Array): boolean {
  if (!a || a.byteLength !== b.length) return false;
  const view = new Uint8Array(a);
  return view.every((byte, i) => byte === b[i]);
}

export async function pushState(): Promise<PushState> {
  if (!pushSupported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'denied';
  if (Notification.permission !== 'granted' || localStorage.getItem(TURNED_OFF_KEY)) return 'off';
  const subscription = await (await registerServiceWorker())?.pushManager.getSubscription();
  return subscription ? 'on' : 'off';
}

/** Subscribes with the server's key (again if the key changed) and gives the server this browser's subscription. */
async function subscribeHere(): Promise<void> {
  const ready = await registerServiceWorker();
  if (!ready) return;
  const key = keyBytes(await api.pushKey());
  let subscription = await ready.pushManager.getSubscription();
  if (subscription && !sameBytes(subscription.options.applicationServerKey, key)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await ready.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  await api.subscribePush(subscription.toJSON() as PushSubscriptionInput);
}

/** Push on for this browser: asks for the permission if need be (call it from a click). */
export async function enablePush(): Promise<PushState> {
  if (!pushSupported()) return 'unsupported';
  const permission = Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
  if (permission !== 'granted') return permission === 'denied' ? 'denied' : 'off';
  localStorage.removeItem(TURNED_OFF_KEY);
  await subscribeHere();
  return 'on';
}

/** Push off for this browser, until turned on again here. */
export async function disablePush(): Promise<void> {
  localStorage.setItem(TURNED_OFF_KEY, '1');
  await forgetPush();
}

/** This browser's subscription leaves the server and the browser (signing out; the next user here subscribes anew). */
export async function forgetPush(): Promise<void> {
  if (!pushSupported()) return;
  const subscription = await (await navigator.serviceWorker.getRegistration('/'))?.pushManager.getSubscription();
  if (!subscription) return;
  await api.unsubscribePush(subscription.endpoint).catch(() => undefined);
  await subscription.unsubscribe().catch(() => false);
}

/** At start, and when the permission is granted: subscribed for whoever is signed in, unless turned off here. */
export async function keepPushSubscribed(): Promise<void> {
  if (!pushSupported() || Notification.permission !== 'granted' || localStorage.getItem(TURNED_OFF_KEY)) return;
  await subscribeHere();
}
