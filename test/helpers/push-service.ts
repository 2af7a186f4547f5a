// A Web Push service on loopback, as a browser vendor runs one: HTTPS with a self-signed
// certificate (made here with openssl), accepting the push POST of RFC 8030. And subscriptions
// made as a browser makes them (a P-256 key pair and a 16-byte auth secret), whose pushes the
// test decrypts with http_ece, as the browser would.
import { execFileSync } from 'node:child_process';
import { createECDH, randomBytes, randomUUID, type ECDH } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Agent, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PushPayload, PushSubscriptionInput } from '@/lib/protocol';

type Ece = { decrypt(buffer: Buffer, params: { version: 'aes128gcm'; privateKey: ECDH; authSecret: string }): Buffer };
const ece = createRequire(import.meta.url)('http_ece') as Ece;

/** A self-signed certificate for 127.0.0.1, and an agent that trusts it (and nothing else). */
export function selfSignedCertificate(): { key: Buffer; cert: Buffer; agent: Agent } {
  const dir = mkdtempSync(path.join(tmpdir(), 'push-cert-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' });
  const key = readFileSync(keyFile);
  const cert = readFileSync(certFile);
  return { key, cert, agent: new Agent({ ca: cert, keepAlive: false }) };
}

/** A browser's subscription: its keys stay here, the server gets `toJSON()`. */
export class BrowserSubscription {
  readonly id = randomUUID();
  readonly endpoint: string;
  private readonly ecdh = createECDH('prime256v1');
  private readonly authSecret = randomBytes(16).toString('base64url');

  /** `service`: the push service's origin; the endpoint is a path of it. */
  constructor(service: string) {
    this.endpoint = `${service}/push/${this.id}`;
    this.ecdh.generateKeys();
  }

  toJSON(): PushSubscriptionInput {
    return { endpoint: this.endpoint, expirationTime: null, keys: { p256dh: this.ecdh.getPublicKey('base64url'), auth: this.authSecret } };
  }

  decrypt(body: Buffer): PushPayload {
    return JSON.parse(ece.decrypt(body, { version: 'aes128gcm', privateKey: this.ecdh, authSecret: this.authSecret }).toString('utf8')) as PushPayload;
  }
}

export type ReceivedPush = { subscriptionId: string; headers: Record<string, string | string[] | undefined>; body: Buffer; status: number };

export class TestPushService {
  readonly received: ReceivedPush[] = [];
  readonly agent: Agent;
  private readonly server: Server;
  private readonly subscriptions = new Map<string, BrowserSubscription>();
  /** Statuses to answer next, per subscription (then 201). */
  private readonly scripted = new Map<string, number[]>();
  private origin = '';

  constructor() {
    const { key, cert, agent } = selfSignedCertificate();
    this.agent = agent;
    this.server = createServer({ key, cert }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const subscriptionId = (req.url ?? '').split('/').pop() ?? '';
        const status = this.scripted.get(subscriptionId)?.shift() ?? 201;
        this.received.push({ subscriptionId, headers: req.headers, body: Buffer.concat(chunks), status });
        res.writeHead(status).end();
      });
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  subscription(): BrowserSubscription {
    const subscription = new BrowserSubscription(this.origin);
    this.subscriptions.set(subscription.id, subscription);
    return subscription;
  }

  /** The next answers to this subscription's pushes, e.g. [500] or [410]. */
  answer(subscription: BrowserSubscription, ...statuses: number[]): void {
    this.scripted.set(subscription.id, [...(this.scripted.get(subscription.id) ?? []), ...statuses]);
  }

  /** The pushes a subscription was sent (every attempt), decrypted. */
  pushesTo(subscription: BrowserSubscription): (PushPayload & { status: number; headers: ReceivedPush['headers'] })[] {
    return this.received
      .filter((push) => push.subscriptionId === subscription.id)
      .map((push) => ({ ...subscription.decrypt(push.body), status: push.status, headers: push.headers }));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.agent.destroy();
  }
}
