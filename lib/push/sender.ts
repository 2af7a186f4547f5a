// Sends one Web Push: the payload encrypted for the subscription (aes128gcm, by web-push) and
// signed with the server's VAPID key. Says what the push service answered, as what to do next.
import type { Agent } from 'node:https';
import webpush from 'web-push';

export type PushTarget = { endpoint: string; p256dh: string; auth: string };

export type PushOutcome =
  | { kind: 'sent' }
  /** 404/410: the browser dropped the subscription; delete it. */
  | { kind: 'gone'; status: number }
  /** A network failure, a 5xx or a 429: try again later (`afterMs` when the service said when). */
  | { kind: 'retry'; status?: number; afterMs?: number; reason: string }
  /** Refused for good (a 400, 403, 413…): trying again will not help. */
  | { kind: 'rejected'; status: number; reason: string };

export type PushSenderOptions = {
  vapid: { subject: string; publicKey: string; privateKey: string };
  /** The TLS agent for push services (tests trust a loopback service's certificate through it). */
  agent?: Agent;
  timeoutMs?: number;
};

export type PushSendOptions = {
  urgent: boolean;
  /** Pushes with one topic replace each other while undelivered (≤ 32 base64url characters). */
  topic?: string;
  ttlSec?: number;
};

export type PushSender = (target: PushTarget, payload: string, options: PushSendOptions) => Promise<PushOutcome>;

function retryAfterMs(headers: Record<string, string | string[] | undefined> | undefined): number | undefined {
  const value = headers?.['retry-after'];
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export function createPushSender(options: PushSenderOptions): PushSender {
  return async (target, payload, { urgent, topic, ttlSec = 24 * 60 * 60 }) => {
    try {
      await webpush.sendNotification({ endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } }, payload, {
        vapidDetails: options.vapid,
        TTL: ttlSec,
        urgency: urgent ? 'high' : 'normal',
        ...(topic ? { topic } : {}),
        ...(options.agent ? { agent: options.agent } : {}),
        timeout: options.timeoutMs ?? 10_000,
      });
      return { kind: 'sent' };
    } catch (error) {
      const failed = error as { statusCode?: number; headers?: Record<string, string>; body?: string; message?: string };
      const status = failed.statusCode;
      if (status === 404 || status === 410) return { kind: 'gone', status };
      if (status === undefined) return { kind: 'retry', reason: failed.message ?? String(error) };
      if (status === 429 || status >= 500) return { kind: 'retry', status, afterMs: retryAfterMs(failed.headers), reason: `status ${status}` };
      return { kind: 'rejected', status, reason: String(failed.body ?? '').slice(0, 200) };
    }
  };
}
